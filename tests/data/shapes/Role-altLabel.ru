# expect: shape:RoleShape shape:Role-altLabel
# an empty title alias
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P7> skos:altLabel "" .
}
