# expect: shape:RoleShape shape:Role-prefLabel
# a role loses its title (and the schema:name copy)
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P2> skos:prefLabel ?title ; schema:name ?name }
