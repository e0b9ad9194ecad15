# expect: shape:LevelShape shape:Level-track
# a level loses its track
DELETE WHERE { <level/P2> rg:track ?old }
