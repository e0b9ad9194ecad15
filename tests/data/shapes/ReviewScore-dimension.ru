# expect: shape:ReviewScoreShape shape:ReviewScore-dimension
# a score loses its dimension name
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/review/concreteness> rg:dimension ?old }
