# expect: shape:LevelShape shape:Level-nextLevel
# a level with two next levels
INSERT DATA {
  <level/P2> rg:nextLevel <level/P4> .
}
