# expect: shape:ResponsibilityShape shape:Responsibility-role
# no role lists the responsibility
DELETE DATA { <role/DATASC.AIMACHIN97C0.P7> rg:responsibility <role/DATASC.AIMACHIN97C0.P7/responsibility/1> }
