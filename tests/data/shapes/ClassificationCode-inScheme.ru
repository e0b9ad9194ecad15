# expect: shape:ClassificationCodeShape shape:ClassificationCode-inScheme
# a code outside any scheme
DELETE WHERE { <soc/2018/15-2051> skos:inScheme ?old }
