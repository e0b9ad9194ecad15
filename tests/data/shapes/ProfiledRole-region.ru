# expect: shape:ProfiledRoleShape shape:ProfiledRole-region
# the profiled role loses its region
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7> rg:region ?old }
