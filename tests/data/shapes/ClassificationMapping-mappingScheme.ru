# expect: shape:ClassificationMappingShape shape:ClassificationMapping-mappingScheme
# the mapping loses its scheme name
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappingScheme ?old }
