# expect: shape:RoleShape shape:Role-status
# an unknown status word
DELETE { <role/DATASC.AIMACHIN97C0.P7> rg:status ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7> rg:status "published" }
WHERE { <role/DATASC.AIMACHIN97C0.P7> rg:status ?old }
