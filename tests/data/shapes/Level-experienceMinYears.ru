# expect: shape:LevelShape shape:Level-experienceMinYears
# negative minimum experience
INSERT DATA {
  <level/P2> rg:experienceMinYears -1 .
}
