# expect: shape:ClassificationMappingShape shape:ClassificationMapping-statedOnRole
# the role drops its skos:broadMatch to the code
DELETE DATA { <role/DATASC.AIMACHIN97C0.P7> skos:broadMatch <soc/2018/15-2051> }
