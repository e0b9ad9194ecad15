# expect: shape:ProfiledRoleShape shape:ProfiledRole-version
# the profiled role loses its version
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7> rg:version ?old }
