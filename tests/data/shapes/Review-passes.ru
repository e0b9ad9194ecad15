# expect: shape:ReviewShape shape:Review-passes
# the review loses its verdict
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/review> rg:passes ?old }
