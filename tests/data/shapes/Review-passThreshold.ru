# expect: shape:ReviewShape shape:Review-passThreshold
# a threshold below 1 (the verdict still agrees)
DELETE { <role/DATASC.AIMACHIN97C0.P7/review> rg:passThreshold ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/review> rg:passThreshold 0.5 }
WHERE { <role/DATASC.AIMACHIN97C0.P7/review> rg:passThreshold ?old }
