# expect: shape:ClassificationMappingShape shape:ClassificationMapping-mappingTool
# an empty tool name
DELETE { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappingTool ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappingTool "" }
WHERE { <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> rg:mappingTool ?old }
