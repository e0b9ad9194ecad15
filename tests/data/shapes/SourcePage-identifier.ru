# expect: shape:SourcePageShape shape:SourcePage-identifier
# a page loses its path
DELETE WHERE { <page/000_cf26a15490124fcc.txt> dcterms:identifier ?old }
