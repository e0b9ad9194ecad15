# expect: shape:FunctionShape shape:Function-prefLabel
# the function loses its name
DELETE WHERE { <function/DATASC> skos:prefLabel ?old }
