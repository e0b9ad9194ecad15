# expect: shape:ClassificationMappingShape shape:ClassificationMapping-mappingJustification
# a justification IRI outside SEMAPV
DELETE { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappingJustification ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappingJustification skos:broadMatch }
WHERE { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappingJustification ?old }
