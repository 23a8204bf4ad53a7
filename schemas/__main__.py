"""``python -m schemas``: write every generated Table Schema (``schemas/*.json``) from the registry."""

from schemas.registry import write_schemas

if __name__ == "__main__":
    write_schemas()
