# expect: shape:LevelShape shape:Level-decisionRights
# an empty decisionRights line
INSERT DATA {
  <level/P2> rg:decisionRights "" .
}
