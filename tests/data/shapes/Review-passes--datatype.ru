# expect: shape:ReviewShape shape:Review-passes
# also: shape:ReviewShape shape:Review-passesAgreesWithScores
# the verdict as the string "true", which is not the boolean true
DELETE { <role/DATASC.AIMACHIN97C0.P7/review> rg:passes ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/review> rg:passes "true" }
WHERE { <role/DATASC.AIMACHIN97C0.P7/review> rg:passes ?old }
