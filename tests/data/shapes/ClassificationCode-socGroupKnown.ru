# expect: shape:ClassificationCodeShape shape:ClassificationCode-socGroupKnown
# a page maps its role to 15-9999, which is no SOC 2018 group: the code has no title
INSERT DATA {
  <soc/2018/15-9999> a rg:ClassificationCode , skos:Concept ;
      skos:notation "15-9999" ;
      skos:inScheme <soc/2018> .
}
