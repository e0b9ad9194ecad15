# expect: shape:LadderShape shape:Ladder-notation
# a ladder with a second code that is not its track
INSERT DATA {
  <ladder/P> skos:notation "M" .
}
