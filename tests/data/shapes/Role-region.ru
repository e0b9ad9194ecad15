# expect: shape:RoleShape shape:Role-region
# an empty region
DELETE { <role/DATASC.AIMACHIN97C0.P7> rg:region ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7> rg:region "" }
WHERE { <role/DATASC.AIMACHIN97C0.P7> rg:region ?old }
