# expect: shape:LevelShape shape:Level-experienceOrder
# minimum experience 30 above the maximum 22
DELETE { <level/P7> rg:experienceMinYears ?old }
INSERT { <level/P7> rg:experienceMinYears 30 }
WHERE { <level/P7> rg:experienceMinYears ?old }
