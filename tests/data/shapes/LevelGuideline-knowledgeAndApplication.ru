# expect: shape:LevelGuidelineShape shape:LevelGuideline-knowledgeAndApplication
# the knowledgeAndApplication cell is missing
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/guideline> rg:knowledgeAndApplication ?old }
