# expect: shape:FocusShape shape:Focus-distinctFrom
# a focus is 'distinct from' a skill
INSERT DATA {
  <focus/DATASC.AIMACHIN97C0> rg:distinctFrom <skill/mlops> .
}
