# expect: shape:ReviewShape shape:Review-role
# two roles share one review
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P2> rg:review <role/DATASC.AIMACHIN97C0.P7/review> .
}
