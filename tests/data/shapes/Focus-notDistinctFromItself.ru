# expect: shape:FocusShape shape:Focus-notDistinctFromItself
# a focus distinct from itself
INSERT DATA {
  <focus/DATASC.AIMACHIN97C0> rg:distinctFrom <focus/DATASC.AIMACHIN97C0> .
}
