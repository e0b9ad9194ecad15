# expect: shape:LevelShape shape:Level-notation
# a level of rank 100: a three-digit code agrees with track and rank but not the pattern
INSERT DATA {
  <level/P100> a rg:Level ; skos:notation "P100" ; rg:track "P" ; rg:rank 100 ; rg:ladder <ladder/P> ; skos:inScheme <ladder/P> .
}
