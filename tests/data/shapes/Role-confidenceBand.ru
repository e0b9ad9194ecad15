# expect: shape:RoleShape shape:Role-confidenceBand
# a band outside high/medium/low
DELETE { <role/DATASC.AIMACHIN97C0.P7> rg:confidenceBand ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7> rg:confidenceBand "very high" }
WHERE { <role/DATASC.AIMACHIN97C0.P7> rg:confidenceBand ?old }
