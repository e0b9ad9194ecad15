# expect: shape:SkillRequirementShape shape:SkillRequirement-ordinal
# a position written as a word
DELETE { <focus/DATASC.AIMACHIN97C0/skill/mlops> rg:ordinal ?old }
INSERT { <focus/DATASC.AIMACHIN97C0/skill/mlops> rg:ordinal "four" }
WHERE { <focus/DATASC.AIMACHIN97C0/skill/mlops> rg:ordinal ?old }
