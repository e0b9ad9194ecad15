# expect: shape:FocusShape shape:Focus-notation
# a by-name focus gets a code with lowercase letters and a dash
INSERT DATA {
  <focus/DATASC/data-science> skos:notation "DATASC.data-science" .
}
