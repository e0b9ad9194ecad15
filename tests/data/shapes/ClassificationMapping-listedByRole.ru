# expect: shape:ClassificationMappingShape shape:ClassificationMapping-listedByRole
# another role lists the mapping
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P2> rg:mapping <role/DATASC.AIMACHIN97C0.P7/mapping/o-net-soc/15-2051> .
}
