# expect: shape:LadderShape shape:Ladder-track
# a new ladder of an unknown track letter
INSERT DATA {
  <ladder/X> a rg:Ladder , skos:ConceptScheme ; skos:notation "X" ; skos:prefLabel "X track" ; rg:track "X" .
}
