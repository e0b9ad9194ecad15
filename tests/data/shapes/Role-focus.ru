# expect: shape:RoleShape shape:Role-focus
# a role loses its focus (and the matching skos:broader)
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P2> rg:focus ?f ; skos:broader ?b }
