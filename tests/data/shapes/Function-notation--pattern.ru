# expect: shape:FunctionShape shape:Function-notation
# a new function with a lowercase, dashed code
INSERT DATA {
  <function/bad> a rg:Function ; skos:notation "bad-code" ; skos:prefLabel "Bad" ; skos:inScheme <scheme/taxonomy> ; skos:topConceptOf <scheme/taxonomy> .
}
