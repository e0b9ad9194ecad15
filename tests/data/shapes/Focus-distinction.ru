# expect: shape:FocusShape shape:Focus-distinction
# a focus's distinction is a skill
INSERT DATA {
  <focus/DATASC.AIMACHIN97C0> rg:distinction <skill/mlops> .
}
