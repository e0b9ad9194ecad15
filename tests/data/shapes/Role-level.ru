# expect: shape:RoleShape shape:Role-level
# a role loses its level
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P2> rg:level ?old }
