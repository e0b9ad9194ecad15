# expect: shape:FocusDistinctionShape shape:FocusDistinction-listedInDistinctFrom
# the focus drops rg:distinctFrom but keeps the qualified distinction
DELETE DATA { <focus/DATASC.AIMACHIN97C0> rg:distinctFrom <focus/DATASC/data-science> }
