# expect: shape:ClassificationCodeShape shape:ClassificationCode-notation
# a code with a space
DELETE { <soc/2018/15-2051> skos:notation ?old }
INSERT { <soc/2018/15-2051> skos:notation "15 2051" }
WHERE { <soc/2018/15-2051> skos:notation ?old }
