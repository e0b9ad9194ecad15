# expect: shape:RoleShape shape:Role-notation
# a role loses its code
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P2> skos:notation ?old }
