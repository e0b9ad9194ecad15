# expect: shape:ClassificationMappingShape shape:ClassificationMapping-mappedRole
# the mapping loses its subject (and the role its link)
DELETE DATA { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappedRole <role/DATASC.AIMACHIN97C0.P7> . <role/DATASC.AIMACHIN97C0.P7> rg:mapping <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> }
