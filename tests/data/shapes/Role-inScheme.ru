# expect: shape:RoleShape shape:Role-inScheme
# a role leaves the taxonomy scheme
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P2> skos:inScheme ?old }
