# expect: shape:RoleShape shape:Role-mapping
# a mapping that is a skill
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P2> rg:mapping <skill/mlops> .
}
