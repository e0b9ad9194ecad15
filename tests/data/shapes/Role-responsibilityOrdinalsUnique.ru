# expect: shape:RoleShape shape:Role-responsibilityOrdinalsUnique
# two responsibilities at position 1
DELETE { <role/DATASC.AIMACHIN97C0.P2/responsibility/2> rg:ordinal ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P2/responsibility/2> rg:ordinal 1 }
WHERE { <role/DATASC.AIMACHIN97C0.P2/responsibility/2> rg:ordinal ?old }
