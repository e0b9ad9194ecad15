# expect: shape:FocusDistinctionShape shape:FocusDistinction-owner
# no focus lists the distinction
DELETE DATA { <focus/DATASC.AIMACHIN97C0> rg:distinction <focus/DATASC.AIMACHIN97C0/distinction/data-science> }
