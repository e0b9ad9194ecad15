# expect: shape:ReviewScoreShape shape:ReviewScore-ordinal
# a score loses its position
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/review/concreteness> rg:ordinal ?old }
