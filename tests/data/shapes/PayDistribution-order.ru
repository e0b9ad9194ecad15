# expect: shape:PayDistributionShape shape:PayDistribution-order
# a median above the high end
DELETE { <role/DATASC.AIMACHIN97C0.P7/pay> schema:median ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/pay> schema:median 999999 }
WHERE { <role/DATASC.AIMACHIN97C0.P7/pay> schema:median ?old }
