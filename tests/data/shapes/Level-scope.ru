# expect: shape:LevelShape shape:Level-scope
# an empty scope line
INSERT DATA {
  <level/P2> rg:scope "" .
}
