# expect: shape:RoleShape shape:Role-broader
# skos:broader points at the function, not the focus
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P2> skos:broader <function/DATASC> .
}
