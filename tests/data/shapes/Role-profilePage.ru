# expect: shape:RoleShape shape:Role-profilePage
# a second profile page that is a skill
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P7> rg:profilePage <skill/mlops> .
}
