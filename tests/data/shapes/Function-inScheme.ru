# expect: shape:FunctionShape shape:Function-inScheme
# the function leaves the taxonomy scheme
DELETE WHERE { <function/DATASC> skos:inScheme ?old }
