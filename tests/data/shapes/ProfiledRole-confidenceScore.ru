# expect: shape:ProfiledRoleShape shape:ProfiledRole-confidenceScore
# the profiled role loses its confidenceScore
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7> rg:confidenceScore ?old }
