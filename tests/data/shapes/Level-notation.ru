# expect: shape:LevelShape shape:Level-notation
# a level loses its code
DELETE WHERE { <level/P2> skos:notation ?old }
