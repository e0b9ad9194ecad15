# expect: shape:ReferenceConceptShape shape:ReferenceConcept-notation
# an ESCO occupation with two codes
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P7/alignment/esco/258e46f9-0075-4a2e-adae-1ff0477e0f30> a rg:Alignment ;
      rg:mappingSubject <role/DATASC.AIMACHIN97C0.P7> ;
      rg:mappingPredicate skos:closeMatch ;
      rg:mappingObject <http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30> ;
      rg:mappingJustification semapv:SemanticSimilarityThresholdMatching ;
      rg:confidence 0.91 ;
      rg:candidateRank 1 ;
      rg:mappingTool "rolegraph align 0.1.0" ;
      rdfs:comment "title: Data Scientists" .
  <role/DATASC.AIMACHIN97C0.P7> skos:closeMatch <http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30> .
  <http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30> a skos:Concept ;
      skos:prefLabel "data scientist" ;
      skos:notation "2511.4" , "2511.5" ;
      skos:inScheme <http://data.europa.eu/esco/concept-scheme/occupations> ;
      skos:broader <isco/08/2511> .
  <http://data.europa.eu/esco/concept-scheme/occupations> a skos:ConceptScheme ; skos:prefLabel "ESCO occupations" .
}
