"""The graph: vocabulary, pages -> RDF (:mod:`.rdf`), SHACL validation, the dataset description, RDF files (:mod:`.io`).

Also the SOC 2018 and ISCO-08 code tables the graph links to. Imports only ``pages`` and the base
modules (docs/architecture.md).
"""
