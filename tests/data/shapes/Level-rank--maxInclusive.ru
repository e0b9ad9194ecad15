# expect: shape:LevelShape shape:Level-rank
# also: shape:LevelShape shape:Level-notation
# a level of rank 100000000 (issue #12: a huge rank exhausted memory in `rolegraph path`); no code of so many
# digits fits the notation pattern. (pyshacl-turbo 0.6.5 also reports sh:minInclusive for a rank beyond 64 bits,
# such as 99999999999999999999999, where pySHACL reports only sh:maxInclusive: both refuse it.)
INSERT DATA {
  <level/P100000000> a rg:Level ; skos:notation "P100000000" ; rg:track "P" ;
    rg:rank 100000000 ; rg:ladder <ladder/P> ; skos:inScheme <ladder/P> .
}
