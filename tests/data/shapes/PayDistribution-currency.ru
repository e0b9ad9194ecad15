# expect: shape:PayDistributionShape shape:PayDistribution-currency
# a lowercase currency
DELETE { <role/DATASC.AIMACHIN97C0.P7/pay> schema:currency ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/pay> schema:currency "usd" }
WHERE { <role/DATASC.AIMACHIN97C0.P7/pay> schema:currency ?old }
