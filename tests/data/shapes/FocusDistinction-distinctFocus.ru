# expect: shape:FocusDistinctionShape shape:FocusDistinction-distinctFocus
# the distinction loses its sibling
DELETE WHERE { <focus/DATASC.AIMACHIN97C0/distinction/data-science> rg:distinctFocus ?old }
