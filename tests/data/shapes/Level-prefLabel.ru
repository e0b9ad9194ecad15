# expect: shape:LevelShape shape:Level-prefLabel
# an empty level title
INSERT DATA {
  <level/P2> skos:prefLabel "" .
}
