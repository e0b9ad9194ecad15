# expect: shape:PayDistributionShape shape:PayDistribution-role
# two roles share one pay node
INSERT DATA {
  <role/DATASC.AIMACHIN97C0.P2> schema:estimatedSalary <role/DATASC.AIMACHIN97C0.P7/pay> .
}
