# expect: shape:LevelShape shape:Level-autonomy
# an empty autonomy line
INSERT DATA {
  <level/P2> rg:autonomy "" .
}
