# expect: shape:RoleShape shape:Role-version
# a version not like v1
DELETE { <role/DATASC.AIMACHIN97C0.P7> rg:version ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7> rg:version "version 1" }
WHERE { <role/DATASC.AIMACHIN97C0.P7> rg:version ?old }
