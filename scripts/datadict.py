"""The README's data dictionary, generated from the Table Schemas: ``python -m scripts.datadict``."""

from __future__ import annotations

import re
import sys

from schemas import registry
from scripts import vocab

README = vocab.ROOT / "README.md"
START, END = "<!-- datadict:start -->", "<!-- datadict:end -->"


def _type(field: dict) -> str:
    if field["type"] == "list":
        return f"list of {field.get('itemType', 'string')}"  # the description says how CSV separates the items
    return field["type"]


def _rules(field: dict) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        parts.append("one of " + ", ".join(f"`{v}`" for v in c["enum"]))
    return "; ".join(parts)


def render() -> str:
    out = [START]
    for table in registry.TABLES:
        name, schema = table.name, table.table_schema()
        out.append(f"\n#### `{name}` (`datapackage/data/{name}.csv`)\n")
        out.append(f"Primary key: {', '.join(f'`{k}`' for k in schema['primaryKey'])}.")
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"]["resource"] or name
            out[-1] += f" `{', '.join(fk['fields'])}` → `{target}.{', '.join(fk['reference']['fields'])}`."
        out.append("\n| field | type | rules | description |\n|---|---|---|---|")
        for f in schema["fields"]:
            desc = f["description"].replace("|", "\\|").replace("\n", " ")
            out.append(f"| `{f['name']}` | {_type(f)} | {_rules(f)} | {desc} |")
    out.append(END)
    return "\n".join(out)


def updated(readme: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md has no {START} … {END} block")
    return pattern.sub(lambda _: render(), readme)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in sys.argv:
        if new != text:
            print("README.md data dictionary is stale: run python -m scripts.datadict", file=sys.stderr)
            return 1
        return 0
    README.write_text(new, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
