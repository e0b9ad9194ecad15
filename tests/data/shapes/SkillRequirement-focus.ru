# expect: shape:SkillRequirementShape shape:SkillRequirement-focus
# no focus lists the requirement
DELETE DATA { <focus/DATASC.AIMACHIN97C0> rg:skillRequirement <focus/DATASC.AIMACHIN97C0/skill/mlops> }
