# expect: shape:LevelShape shape:Level-impact
# an empty impact line
INSERT DATA {
  <level/P2> rg:impact "" .
}
