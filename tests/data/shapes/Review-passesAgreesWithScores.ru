# expect: shape:ReviewShape shape:Review-passesAgreesWithScores
# fails although 4.0 >= 4.0
DELETE { <role/DATASC.AIMACHIN97C0.P7/review> rg:passes ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/review> rg:passes false }
WHERE { <role/DATASC.AIMACHIN97C0.P7/review> rg:passes ?old }
