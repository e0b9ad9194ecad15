# expect: shape:ClassificationMappingShape shape:ClassificationMapping-mappingPredicate
# skos:related is not a SKOS mapping property (the role states it, so only the sh:in fails)
DELETE { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappingPredicate ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappingPredicate skos:related }
WHERE { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappingPredicate ?old } ;
INSERT DATA { <role/DATASC.AIMACHIN97C0.P7> skos:related <soc/2018/15-2051> }
