# expect: shape:ClassificationMappingShape shape:ClassificationMapping-mappedCode
# the mapping loses its object
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappedCode ?old }
