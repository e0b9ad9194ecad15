# expect: shape:LevelShape shape:Level-nextLevelOrder
# the level after P7 is P2
INSERT DATA {
  <level/P7> rg:nextLevel <level/P2> .
}
