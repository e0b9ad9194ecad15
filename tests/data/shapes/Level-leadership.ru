# expect: shape:LevelShape shape:Level-leadership
# an empty leadership line
INSERT DATA {
  <level/P2> rg:leadership "" .
}
