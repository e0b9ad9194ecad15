# expect: shape:LevelShape shape:Level-rank
# a level loses its rank
DELETE WHERE { <level/P2> rg:rank ?old }
