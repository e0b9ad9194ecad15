# expect: shape:ProfiledRoleShape shape:ProfiledRole-confidenceBand
# the profiled role loses its confidenceBand
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7> rg:confidenceBand ?old }
