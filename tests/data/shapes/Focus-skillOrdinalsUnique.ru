# expect: shape:FocusShape shape:Focus-skillOrdinalsUnique
# two skills of the focus at position 1
DELETE { <focus/DATASC.AIMACHIN97C0/skill/mlops> rg:ordinal ?old }
INSERT { <focus/DATASC.AIMACHIN97C0/skill/mlops> rg:ordinal 1 }
WHERE { <focus/DATASC.AIMACHIN97C0/skill/mlops> rg:ordinal ?old }
