# expect: shape:LadderShape shape:Ladder-prefLabel
# a ladder loses its name
DELETE WHERE { <ladder/P> skos:prefLabel ?old }
