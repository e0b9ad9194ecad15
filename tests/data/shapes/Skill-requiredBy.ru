# expect: shape:SkillShape shape:Skill-requiredBy
# a skill no focus requires
INSERT DATA {
  <skill/orphan> a rg:Skill ; skos:prefLabel "Orphan" ; skos:inScheme <scheme/skills> .
}
