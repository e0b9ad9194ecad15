# expect: shape:ReviewScoreShape shape:ReviewScore-review
# no review lists the score
DELETE DATA { <role/DATASC.AIMACHIN97C0.P7/review> rg:reviewScore <role/DATASC.AIMACHIN97C0.P7/review/concreteness> }
