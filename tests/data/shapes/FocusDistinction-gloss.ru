# expect: shape:FocusDistinctionShape shape:FocusDistinction-gloss
# the distinction loses its gloss
DELETE WHERE { <focus/DATASC.AIMACHIN97C0/distinction/data-science> rg:gloss ?old }
