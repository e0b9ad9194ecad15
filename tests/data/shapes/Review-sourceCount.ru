# expect: shape:ReviewShape shape:Review-sourceCount
# a negative number of sources
DELETE { <role/DATASC.AIMACHIN97C0.P7/review> rg:sourceCount ?old }
INSERT { <role/DATASC.AIMACHIN97C0.P7/review> rg:sourceCount -3 }
WHERE { <role/DATASC.AIMACHIN97C0.P7/review> rg:sourceCount ?old }
