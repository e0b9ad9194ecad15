# expect: shape:LevelShape shape:Level-experienceMaxYears
# negative maximum experience
INSERT DATA {
  <level/P2> rg:experienceMaxYears -1 .
}
