# expect: shape:ClassificationMappingShape shape:ClassificationMapping-mappingPredicate
# the mapping loses its predicate
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappingPredicate ?old }
