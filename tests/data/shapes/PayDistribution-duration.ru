# expect: shape:PayDistributionShape shape:PayDistribution-duration
# the period as a plain string
DELETE { <role/DATASC.AIMACHIN97C0.P7/pay> schema:duration ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/pay> schema:duration "P1Y" }
WHERE { <role/DATASC.AIMACHIN97C0.P7/pay> schema:duration ?old }
