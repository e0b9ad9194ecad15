# expect: shape:RoleShape shape:Role-guideline
# a guideline that is a skill
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P2> rg:guideline <skill/mlops> .
}
