# expect: shape:PayDistributionShape shape:PayDistribution-median
# a median in cents: a decimal, not a whole amount
DELETE { <role/DATASC.AIMACHIN97C0.P7/pay> schema:median ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/pay> schema:median 231000.5 }
WHERE { <role/DATASC.AIMACHIN97C0.P7/pay> schema:median ?old }
