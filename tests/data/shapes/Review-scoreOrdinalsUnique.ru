# expect: shape:ReviewShape shape:Review-scoreOrdinalsUnique
# two dimensions at position 1
DELETE { <role/DATASC.AIMACHIN97C0.P7/review/concreteness> rg:ordinal ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/review/concreteness> rg:ordinal 1 }
WHERE { <role/DATASC.AIMACHIN97C0.P7/review/concreteness> rg:ordinal ?old }
