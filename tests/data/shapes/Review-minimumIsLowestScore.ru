# expect: shape:ReviewShape shape:Review-minimumIsLowestScore
# minimum 4.5 while a dimension scores 4.0
DELETE { <role/DATASC.AIMACHIN97C0.P7/review> rg:minimumScore ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/review> rg:minimumScore 4.5 }
WHERE { <role/DATASC.AIMACHIN97C0.P7/review> rg:minimumScore ?old }
