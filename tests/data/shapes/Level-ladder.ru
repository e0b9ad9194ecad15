# expect: shape:LevelShape shape:Level-ladder
# a level loses its ladder
DELETE WHERE { <level/P2> rg:ladder ?old }
