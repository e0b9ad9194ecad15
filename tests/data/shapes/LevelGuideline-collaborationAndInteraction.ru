# expect: shape:LevelGuidelineShape shape:LevelGuideline-collaborationAndInteraction
# the collaborationAndInteraction cell is missing
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/guideline> rg:collaborationAndInteraction ?old }
