# expect: shape:ProfiledRoleShape shape:ProfiledRole-status
# the profiled role loses its status
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7> rg:status ?old }
