# expect: shape:LevelGuidelineShape shape:LevelGuideline-role
# no role lists the guideline
DELETE DATA { <role/DATASC.AIMACHIN97C0.P7> rg:guideline <role/DATASC.AIMACHIN97C0.P7/guideline> }
