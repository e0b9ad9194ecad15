# expect: shape:RoleShape shape:Role-estimatedSalary
# pay that is a skill
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P2> schema:estimatedSalary <skill/mlops> .
}
