# expect: shape:LevelShape shape:Level-definition
# an empty level definition
INSERT DATA {
  <level/P2> skos:definition "" .
}
