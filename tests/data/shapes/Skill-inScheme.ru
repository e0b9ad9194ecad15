# expect: shape:SkillShape shape:Skill-inScheme
# a skill leaves the skills scheme
DELETE WHERE { <skill/mlops> skos:inScheme ?old }
