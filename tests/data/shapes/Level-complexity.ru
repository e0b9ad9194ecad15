# expect: shape:LevelShape shape:Level-complexity
# an empty complexity line
INSERT DATA {
  <level/P2> rg:complexity "" .
}
