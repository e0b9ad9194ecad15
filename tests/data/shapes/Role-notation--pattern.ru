# expect: shape:RoleShape shape:Role-notation
# a role code with a lowercase fourth part between focus and level
DELETE { <role/DATASC.AIMACHIN97C0.P2> skos:notation ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P2> skos:notation "DATASC.AIMACHIN97C0.x.P2" }
WHERE { <role/DATASC.AIMACHIN97C0.P2> skos:notation ?old }
