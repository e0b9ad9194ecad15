# expect: shape:PayDistributionShape shape:PayDistribution-minValue
# pay loses its low end
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/pay> schema:minValue ?old }
