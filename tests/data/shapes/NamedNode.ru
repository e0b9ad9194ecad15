# expect: shape:NamedNodeShape -
# a typed blank node
INSERT DATA {
  [] a skos:ConceptScheme ; skos:prefLabel "anonymous scheme" .
}
