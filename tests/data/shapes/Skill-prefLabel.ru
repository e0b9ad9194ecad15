# expect: shape:SkillShape shape:Skill-prefLabel
# a skill loses its name
DELETE WHERE { <skill/mlops> skos:prefLabel ?old }
