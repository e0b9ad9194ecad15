# expect: shape:FocusShape shape:Focus-prefLabel
# a by-name focus loses its name
DELETE WHERE { <focus/DATASC/data-science> skos:prefLabel ?old }
