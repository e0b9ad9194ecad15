# expect: shape:SourceLocatedShape shape:SourceLocated-sourceLocation
# a source location without a line number
DELETE { <function/DATASC> rg:sourceLocation ?old }
INSERT { <function/DATASC> rg:sourceLocation "000_cf26a15490124fcc.txt" }
WHERE { <function/DATASC> rg:sourceLocation ?old }
