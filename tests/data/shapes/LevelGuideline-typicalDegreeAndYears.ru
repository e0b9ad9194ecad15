# expect: shape:LevelGuidelineShape shape:LevelGuideline-typicalDegreeAndYears
# the typicalDegreeAndYears cell is missing
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/guideline> rg:typicalDegreeAndYears ?old }
