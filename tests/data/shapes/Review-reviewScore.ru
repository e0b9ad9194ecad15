# expect: shape:ReviewShape shape:Review-reviewScore
# a dimension score that is a skill
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P7/review> rg:reviewScore <skill/mlops> .
}
