# expect: shape:AlignmentShape shape:Alignment-mappingSubject
# an alignment of the aligner names no subject
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P7/alignment/onet/15-2051.00> a rg:Alignment ;
      rg:mappingPredicate skos:closeMatch ;
      rg:mappingObject <onet/2019/15-2051.00> ;
      rg:mappingJustification semapv:SemanticSimilarityThresholdMatching ;
      rg:confidence 0.91 ;
      rg:candidateRank 1 ;
      rg:mappingTool "rolegraph align 0.1.0" ;
      rdfs:comment "title: Data Scientists" .
  <role/DATASC.AIMACHIN97C0.P7> skos:closeMatch <onet/2019/15-2051.00> .
  <onet/2019/15-2051.00> a skos:Concept , rg:ClassificationCode ;
      skos:prefLabel "Data Scientists" ;
      skos:notation "15-2051.00" ;
      skos:inScheme <onet/2019> ;
      skos:broader <soc/2018/15-2051> .
  <onet/2019> a skos:ConceptScheme ; skos:prefLabel "O*NET-SOC 2019" .
}
