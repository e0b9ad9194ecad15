# expect: shape:ReviewScoreShape shape:ReviewScore-score
# a score above 5
DELETE { <role/DATASC.AIMACHIN97C0.P7/review/concreteness> rg:score ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/review/concreteness> rg:score 5.5 }
WHERE { <role/DATASC.AIMACHIN97C0.P7/review/concreteness> rg:score ?old }
