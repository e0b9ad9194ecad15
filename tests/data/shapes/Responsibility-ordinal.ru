# expect: shape:ResponsibilityShape shape:Responsibility-ordinal
# position 0
DELETE { <role/DATASC.AIMACHIN97C0.P7/responsibility/1> rg:ordinal ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/responsibility/1> rg:ordinal 0 }
WHERE { <role/DATASC.AIMACHIN97C0.P7/responsibility/1> rg:ordinal ?old }
