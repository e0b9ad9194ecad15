# expect: shape:FunctionShape shape:Function-topConceptOf
# the function is no longer a top concept
DELETE WHERE { <function/DATASC> skos:topConceptOf ?old }
