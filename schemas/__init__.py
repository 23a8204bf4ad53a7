"""The data package's tables: :mod:`schemas.registry` declares each once; the ``*.json`` Table Schemas here
are generated from it (``python -m schemas``)."""
