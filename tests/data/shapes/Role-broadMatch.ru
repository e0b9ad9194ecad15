# expect: shape:RoleShape shape:Role-broadMatch
# a broad match to a skill
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P2> skos:broadMatch <skill/mlops> .
}
