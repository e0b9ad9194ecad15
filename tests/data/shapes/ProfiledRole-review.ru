# expect: shape:ProfiledRoleShape shape:ProfiledRole-review
# the profiled role loses its review (and the review goes too)
DELETE { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER (STRSTARTS(STR(?s), STR(<role/DATASC.AIMACHIN97C0.P7/review>))) } ;
DELETE DATA { <role/DATASC.AIMACHIN97C0.P7> rg:review <role/DATASC.AIMACHIN97C0.P7/review> }
