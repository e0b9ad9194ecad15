"""``python -m rolegraph``: the same CLI as the ``rolegraph`` console script."""

from rolegraph.cli import main

main()
