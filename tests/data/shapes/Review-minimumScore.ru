# expect: shape:ReviewShape shape:Review-minimumScore
# the review loses its minimum score
DELETE WHERE { <role/DATASC.AIMACHIN97C0.P7/review> rg:minimumScore ?old }
