"""The web front of rolegraph (``rolegraph serve``): role pages, search, ladders, comparison and SPARQL."""
