# expect: shape:LevelShape shape:Level-typicalExperience
# an empty typicalExperience line
INSERT DATA {
  <level/P2> rg:typicalExperience "" .
}
