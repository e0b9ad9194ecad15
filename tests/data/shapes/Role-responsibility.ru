# expect: shape:RoleShape shape:Role-responsibility
# a responsibility that is a skill
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P2> rg:responsibility <skill/mlops> .
}
