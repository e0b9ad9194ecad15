# expect: shape:LevelGuidelineShape shape:LevelGuideline-complexityAndProblemSolving
# the complexityAndProblemSolving cell is missing
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/guideline> rg:complexityAndProblemSolving ?old }
