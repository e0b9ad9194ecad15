# expect: shape:ReviewShape shape:Review-passes
# the verdict as the string "true"
DELETE { <role/DATASC.AIMACHIN97C0.P7/review> rg:passes ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/review> rg:passes "true" }
WHERE { <role/DATASC.AIMACHIN97C0.P7/review> rg:passes ?old }
