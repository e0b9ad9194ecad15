# expect: shape:AlignmentShape shape:Alignment-rejectionNotStated
# a rejected pair is stated on the role all the same
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P7/curated/onet/15-2051.00> a rg:Alignment ;
      rg:mappingSubject <role/DATASC.AIMACHIN97C0.P7> ;
      rg:mappingPredicate skos:closeMatch ;
      rg:mappingObject <onet/2019/15-2051.00> ;
      rg:mappingJustification semapv:ManualMappingCuration ;
      rg:predicateModifier "Not" ;
      rdfs:comment "title: Data Scientists" .
  <role/DATASC.AIMACHIN97C0.P7> skos:closeMatch <onet/2019/15-2051.00> .
  <onet/2019/15-2051.00> a skos:Concept , rg:ClassificationCode ;
      skos:prefLabel "Data Scientists" ;
      skos:notation "15-2051.00" ;
      skos:inScheme <onet/2019> ;
      skos:broader <soc/2018/15-2051> .
  <onet/2019> a skos:ConceptScheme ; skos:prefLabel "O*NET-SOC 2019" .
}
