# expect: shape:RoleShape shape:Role-review
# a review that is a skill
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P2> rg:review <skill/mlops> .
}
