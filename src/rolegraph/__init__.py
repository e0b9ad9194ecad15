"""rolegraph: a knowledge graph of job roles, skills and levels."""

__version__ = "0.1.0"
