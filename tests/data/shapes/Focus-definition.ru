# expect: shape:FocusShape shape:Focus-definition
# a by-name focus gets an empty definition
INSERT DATA {
  <focus/DATASC/data-science> skos:definition "" .
}
