# expect: shape:RoleShape shape:Role-differential
# an unknown differential flag
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P7> rg:differential "LOCATION" .
}
