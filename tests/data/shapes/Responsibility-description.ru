# expect: shape:ResponsibilityShape shape:Responsibility-description
# a responsibility loses its text
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/responsibility/1> schema:description ?old }
