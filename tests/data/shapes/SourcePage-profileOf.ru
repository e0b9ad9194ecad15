# expect: shape:SourcePageShape shape:SourcePage-profileOf
# no role points at the page
DELETE DATA { <role/DATASC.AIMACHIN97C0.P7> rg:profilePage <page/000_cf26a15490124fcc.txt> }
