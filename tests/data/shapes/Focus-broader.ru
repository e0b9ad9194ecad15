# expect: shape:FocusShape shape:Focus-broader
# skos:broader points at a node rg:function does not
INSERT DATA {
  <focus/DATASC/data-science> skos:broader <focus/DATASC.AIMACHIN97C0> .
}
