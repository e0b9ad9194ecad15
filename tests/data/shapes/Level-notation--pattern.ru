# expect: shape:LevelShape shape:Level-notation
# also: shape:LevelShape shape:Level-rank
# a level of rank 100: a three-digit code agrees with track and rank but not the pattern (nor the rank its bound)
INSERT DATA {
  <level/P100> a rg:Level ; skos:notation "P100" ; rg:track "P" ; rg:rank 100 ; rg:ladder <ladder/P> ; skos:inScheme <ladder/P> .
}
