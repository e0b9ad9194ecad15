# expect: shape:LevelShape shape:Level-codeAgreesWithTrackAndRank
# P7 says rank 8
DELETE { <level/P7> rg:rank ?old }
INSERT { <level/P7> rg:rank 8 }
WHERE { <level/P7> rg:rank ?old }
