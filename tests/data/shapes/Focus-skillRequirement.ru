# expect: shape:FocusShape shape:Focus-skillRequirement
# a skill requirement that is a skill
INSERT DATA {
  <focus/DATASC.AIMACHIN97C0> rg:skillRequirement <skill/mlops> .
}
