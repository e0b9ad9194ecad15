# expect: shape:SkillRequirementShape shape:SkillRequirement-description
# a requirement loses its description
DELETE WHERE { <focus/DATASC.AIMACHIN97C0/skill/mlops> schema:description ?old }
