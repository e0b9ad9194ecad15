# expect: shape:RoleShape shape:Role-confidenceScore
# a confidence above 1
DELETE { <role/DATASC.AIMACHIN97C0.P7> rg:confidenceScore ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7> rg:confidenceScore 1.5 }
WHERE { <role/DATASC.AIMACHIN97C0.P7> rg:confidenceScore ?old }
