# expect: shape:LevelShape shape:Level-track
# also: shape:LevelShape shape:Level-notation
# also: shape:LadderShape shape:Ladder-track
# a level of an unknown track letter X, on a ladder X: its code X1 and the ladder fail too
INSERT DATA {
  <level/X1> a rg:Level ; skos:notation "X1" ; rg:track "X" ; rg:rank 1 ; rg:ladder <ladder/X> ; skos:inScheme <ladder/X> .
  <ladder/X> a rg:Ladder , skos:ConceptScheme ; skos:notation "X" ; skos:prefLabel "X track" ; rg:track "X" .
}
