# expect: shape:PayDistributionShape shape:PayDistribution-maxValue
# pay loses its high end
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/pay> schema:maxValue ?old }
