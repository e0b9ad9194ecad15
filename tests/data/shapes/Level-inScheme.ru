# expect: shape:LevelShape shape:Level-inScheme
# a level leaves its ladder's scheme
DELETE WHERE { <level/P2> skos:inScheme ?old }
