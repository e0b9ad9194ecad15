# expect: shape:SkillRequirementShape shape:SkillRequirement-skill
# a requirement about two skills
INSERT DATA {
  <focus/DATASC.AIMACHIN97C0/skill/mlops> rg:skill <skill/deep-learning> .
}
