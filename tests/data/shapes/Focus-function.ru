# expect: shape:FocusShape shape:Focus-function
# a by-name focus loses its function (and the matching skos:broader)
DELETE WHERE { <focus/DATASC/data-science> rg:function ?f ; skos:broader ?b }
