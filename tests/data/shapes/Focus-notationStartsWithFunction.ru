# expect: shape:FocusShape shape:Focus-notationStartsWithFunction
# a focus of DATASC gets a well-formed code of another function
INSERT DATA {
  <focus/DATASC/data-science> skos:notation "OTHER.DATASCI" .
}
