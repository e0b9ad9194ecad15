# expect: shape:RoleShape shape:Role-occupationalCategory
# an occupational category that is a skill
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P2> schema:occupationalCategory <skill/mlops> .
}
