# expect: shape:ClassificationCodeShape shape:ClassificationCode-iscoGroupKnown
# a page maps its role to ISCO-08 1399, which is no ISCO-08 group: the code is outside the hierarchy
INSERT DATA {
  <isco/08> a skos:ConceptScheme ; skos:prefLabel "ISCO-08" .
  <isco/08/1399> a rg:ClassificationCode , skos:Concept ;
      skos:notation "1399" ;
      skos:inScheme <isco/08> .
}
