# expect: shape:FunctionShape shape:Function-notationUnique
# a second function reuses the code DATASC
INSERT DATA {
  <function/DATASC2> a rg:Function ; skos:notation "DATASC" ; skos:prefLabel "Copy" ; skos:inScheme <scheme/taxonomy> ; skos:topConceptOf <scheme/taxonomy> .
}
