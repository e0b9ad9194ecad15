# expect: shape:LevelShape shape:Level-ladderTrack
# a P level moved onto the M ladder
DELETE { <level/P2> rg:ladder <ladder/P> }
INSERT {
  <level/P2> rg:ladder <ladder/M> .
  <ladder/M> a rg:Ladder , skos:ConceptScheme ; skos:notation "M" ; skos:prefLabel "Management track" ; rg:track "M" .
}
WHERE { }
