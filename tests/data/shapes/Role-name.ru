# expect: shape:RoleShape shape:Role-name
# schema:name differs from the title
DELETE { <role/DATASC.AIMACHIN97C0.P2> schema:name ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P2> schema:name "Something else" }
WHERE { <role/DATASC.AIMACHIN97C0.P2> schema:name ?old }
