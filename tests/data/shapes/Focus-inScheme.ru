# expect: shape:FocusShape shape:Focus-inScheme
# a by-name focus leaves the taxonomy scheme
DELETE WHERE { <focus/DATASC/data-science> skos:inScheme ?old }
