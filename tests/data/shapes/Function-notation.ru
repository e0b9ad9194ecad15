# expect: shape:FunctionShape shape:Function-notation
# the function loses its code
DELETE DATA { <function/DATASC> skos:notation "DATASC" }
