# expect: shape:RoleShape shape:Role-notationStartsWithFocus
# a well-formed code naming another focus
DELETE { <role/DATASC.AIMACHIN97C0.P2> skos:notation ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P2> skos:notation "DATASC.OTHER.P2" }
WHERE { <role/DATASC.AIMACHIN97C0.P2> skos:notation ?old }
