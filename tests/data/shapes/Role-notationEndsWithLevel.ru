# expect: shape:RoleShape shape:Role-notationEndsWithLevel
# the P2 role coded as P3
DELETE { <role/DATASC.AIMACHIN97C0.P2> skos:notation ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P2> skos:notation "DATASC.AIMACHIN97C0.P3" }
WHERE { <role/DATASC.AIMACHIN97C0.P2> skos:notation ?old }
