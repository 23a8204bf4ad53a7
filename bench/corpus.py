"""A seeded synthetic corpus in the project's own schema, for benchmarks at any size.

``write_corpus(directory, clauses, seed)`` writes a complete data package, cut as release
``1.0.0`` under ``<directory>/releases/1.0.0/`` (descriptor, Table Schemas, every CSV), so the
validator can check it and the API can serve it as an immutable release.

* Jurisdictions: 30 real slugs of ``datapackage/vocab/jurisdictions.csv`` with a Zipf-like skew
  (the first holds about a quarter of the documents, the last well under 1 %).
* Documents: preamble, parts (一、) and items (（一）, restarting in each part), dash bullets under
  some items, with IDs, parents, depths, numbering and seq derived as the build derives them.
* Text: headings and phrases taken from the real clauses, recombined, so word frequencies (人才,
  数据, 金融科技 …) follow the real corpus. The rare phrase :data:`RARE_PHRASE` is put in one clause
  of every :data:`RARE_EVERY`.
* Topics: 1–4 per clause from the topic vocabulary, skewed, listed in ``clause_topics.csv`` too.

The same ``(clauses, seed)`` always gives byte-identical files.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from schemas import registry
from scripts import vocab
from scripts.numbering import int_to_cn
from scripts.release_integrity import seal

ROOT = vocab.ROOT
RELEASE = "1.0.0"
RARE_PHRASE = "量子密钥分发"
RARE_EVERY = 40_000
RARE_OFFSET = 500
JURISDICTION_COUNT = 30
ZIPF_EXPONENT = 1.1
DERIVED = tuple(t.name for t in registry.optional_tables())
CLAUSE_FIELDS = tuple(registry.field_names("clauses"))
DOCUMENT_FIELDS = tuple(registry.field_names("documents"))
MUNICIPAL = {"qingdao", "shenzhen", "dalian", "ningbo", "xiamen"}
DOC_TYPES_ZH = {"guidance": "指导意见", "plan": "发展规划", "measures": "若干措施", "notice": "通知"}
_SPLIT_RE = re.compile(r"[，。；：、\n]")
_CLEAN_PHRASE_RE = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z（）“”《》]*[\u4e00-\u9fff）”》]$")


@dataclass(frozen=True)
class Vocabulary:
    """What synthetic clauses are made of, read from the real package."""

    phrases: tuple[str, ...]
    item_headings: tuple[str, ...]
    part_headings: tuple[str, ...]
    openings: tuple[str, ...]


def read_vocabulary(root: Path = ROOT) -> Vocabulary:
    phrases: dict[str, None] = {}
    item_headings: dict[str, None] = {}
    part_headings: dict[str, None] = {}
    openings: dict[str, None] = {}
    with (root / "datapackage" / "data" / "clauses.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            heading, text = row["heading"].strip(), row["text"].strip()
            if row["kind"] in ("part", "section") and _CLEAN_PHRASE_RE.match(heading) and len(heading) <= 30:
                part_headings[heading] = None
            elif row["kind"] in ("item", "bullet") and _CLEAN_PHRASE_RE.match(heading) and len(heading) <= 20:
                item_headings[heading] = None
            body = text[len(heading) :] if heading and text.startswith(heading) else text
            for i, piece in enumerate(_SPLIT_RE.split(body)):
                piece = piece.strip()
                if 4 <= len(piece) <= 40 and _CLEAN_PHRASE_RE.match(piece):
                    (openings if i == 0 and row["kind"] in ("preamble", "paragraph") else phrases)[piece] = None
    return Vocabulary(tuple(phrases), tuple(item_headings), tuple(part_headings), tuple(openings) or tuple(phrases))


def zipf_weights(n: int, exponent: float = ZIPF_EXPONENT) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, n + 1)]


def jurisdictions(count: int = JURISDICTION_COUNT) -> list[str]:
    """``count`` jurisdiction slugs, most frequent first: national, then the vocabulary in order."""
    return list(vocab.CITIES)[:count]


class _Writer:
    """Streams documents, clauses and tags into the CSV files of one package."""

    def __init__(self, data: Path) -> None:
        self._files = {
            name: (data / f"{name}.csv").open("w", encoding="utf-8", newline="")
            for name in ("documents", "clauses", "clause_topics")
        }
        self.documents = csv.writer(self._files["documents"], lineterminator="\n")
        self.clauses = csv.writer(self._files["clauses"], lineterminator="\n")
        self.tags = csv.writer(self._files["clause_topics"], lineterminator="\n")
        self.documents.writerow(DOCUMENT_FIELDS)
        self.clauses.writerow(CLAUSE_FIELDS)
        self.tags.writerow(registry.field_names("clause_topics"))

    def close(self) -> None:
        for f in self._files.values():
            f.close()


class _Generator:
    def __init__(self, words: Vocabulary, seed: int) -> None:
        self.words = words
        self.rng = random.Random(seed)
        self.cities = jurisdictions()
        self.city_weights = zipf_weights(len(self.cities))
        self.topics = vocab.topic_slugs()
        self.topic_weights = zipf_weights(len(self.topics), 0.8)
        self.doc_ids: set[str] = set()
        self.clause_count = 0

    def sentence(self, low: int, high: int) -> str:
        rng, phrases = self.rng, self.words.phrases
        parts = [rng.choice(phrases) for _ in range(rng.randint(low, high))]
        if self.clause_count % RARE_EVERY == RARE_OFFSET:
            parts.insert(rng.randrange(len(parts) + 1), f"探索{RARE_PHRASE}技术在金融领域的应用")
        return "，".join(parts) + "。"

    def topic_list(self) -> list[str]:
        k = self.rng.choices((1, 2, 3, 4), (40, 30, 20, 10))[0]
        chosen: dict[str, None] = {}
        while len(chosen) < k:
            chosen[self.rng.choices(self.topics, self.topic_weights)[0]] = None
        return list(chosen)

    def document(self) -> tuple[list[str], str, str]:
        rng = self.rng
        city = rng.choices(self.cities, self.city_weights)[0]
        level = "national" if city == "national" else "municipal" if city in MUNICIPAL else "provincial"
        year = rng.randint(2015, 2025)
        prefix = "pboc" if city == "national" else city
        doc_id, k = f"{prefix}-{year}", 1
        while doc_id in self.doc_ids:
            k += 1
            doc_id = f"{prefix}-{year}-{k}"
        self.doc_ids.add(doc_id)
        name_zh, name_en = vocab.CITIES[city]
        doc_type = rng.choice(tuple(DOC_TYPES_ZH))
        subject = rng.choice(self.words.part_headings)
        issuer = "中国人民银行" if city == "national" else f"{name_zh}地方金融监督管理局"
        author = "中国人民银行" if city == "national" else name_zh
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        values = {
            "id": doc_id,
            "title": f"{author}关于{subject}的{DOC_TYPES_ZH[doc_type]}",
            "title_en": f"{name_en}: {doc_type.title()} on fintech ({year}, {k})",
            "doc_number": f"{name_zh[0]}金发〔{year}〕{rng.randint(1, 99)}号",
            "issuers": issuer,
            "city": city,
            "level": level,
            "doc_type": doc_type,
            "date_issued": date,
            "date_published": date,
            "source_file": f"datapackage/sources/{doc_id}.txt",
            "source_sha256": hashlib.sha256(doc_id.encode()).hexdigest(),
            "version_note": "Synthetic document generated for benchmarks.",
            "legal_rank": "normative-document",
        }
        row = [values.get(name, "") for name in DOCUMENT_FIELDS]  # every other field of the registry is empty
        return row, city, level

    def clauses(self, doc_id: str, city: str, level: str) -> Iterator[tuple[list[str], list[str]]]:
        """The clause rows of one document (without topics) and their topics, in reading order."""
        rng, words = self.rng, self.words
        source = f"datapackage/sources/{doc_id}.txt"
        seq = line = 0
        seen: set[str] = set()

        def row(cid: str, kind: str, depth: int, numbering: str, parent: str, heading: str, text: str) -> list[str]:
            nonlocal seq, line
            seq += 1
            line += 2
            self.clause_count += 1
            return [
                cid,
                doc_id,
                str(seq),
                kind,
                str(depth),
                numbering,
                parent,
                heading,
                text,
                "",
                city,
                level,
                source,
                str(line),
                str(line),
            ]

        def body(heading: str, low: int, high: int) -> str:
            while True:
                text = (f"{heading}。" if heading else "") + self.sentence(low, high)
                if text not in seen:
                    seen.add(text)
                    return text

        yield (
            row(f"{doc_id}.preamble", "preamble", 0, "前言", "", "", body(rng.choice(words.openings), 3, 8)),
            self.topic_list(),
        )
        for p in range(1, rng.randint(3, 8) + 1):
            part_id, part_label = f"{doc_id}.{p}", int_to_cn(p)
            yield row(part_id, "part", 0, part_label, "", rng.choice(words.part_headings), ""), self.topic_list()
            for i in range(1, rng.randint(3, 25) + 1):
                item_id, item_label = f"{part_id}.{i}", f"{part_label}/（{int_to_cn(i)}）"
                heading = rng.choice(words.item_headings)
                yield row(item_id, "item", 1, item_label, part_id, heading, body(heading, 2, 7)), self.topic_list()
                if rng.random() < 0.12:
                    for b in range(1, rng.randint(1, 4) + 1):
                        yield (
                            row(
                                f"{item_id}.b{b}", "bullet", 2, f"{item_label}/•{b}", item_id, "", "——" + body("", 1, 3)
                            ),
                            self.topic_list(),
                        )


def write_corpus(directory: Path, clauses: int, seed: int = 20240601, source_root: Path = ROOT) -> Path:
    """Write a package of exactly ``clauses`` clauses; returns the release directory."""
    release_dir = directory / "releases" / RELEASE
    if release_dir.exists():
        shutil.rmtree(release_dir)
    data = release_dir / "datapackage" / "data"
    data.mkdir(parents=True)
    shutil.copytree(source_root / "schemas", release_dir / "schemas")
    descriptor = json.loads((source_root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.update(
        version=RELEASE,
        title="Synthetic benchmark corpus",
        description=f"A synthetic corpus of {clauses} clauses (seed {seed}) for benchmarks.",
    )
    descriptor.pop("sources", None)
    descriptor["resources"] = registry.resources(parquet=False)  # the corpus is written as CSV only
    (release_dir / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    shutil.copyfile(source_root / "datapackage" / "data" / "topics.csv", data / "topics.csv")
    for name in DERIVED:
        (data / f"{name}.csv").write_text(",".join(registry.field_names(name)) + "\n", encoding="utf-8")

    gen = _Generator(read_vocabulary(source_root), seed)
    out = _Writer(data)
    try:
        while gen.clause_count < clauses:
            doc_row, city, level = gen.document()
            out.documents.writerow(doc_row)
            for clause, topics in gen.clauses(doc_row[0], city, level):
                clause[9] = ",".join(topics)
                out.clauses.writerow(clause)
                for t in topics:
                    out.tags.writerow((clause[0], t, "curated", ""))
                if gen.clause_count >= clauses:
                    break
    finally:
        out.close()
    seal(release_dir)  # release.json and releases/SHA256SUMS: the API serves only releases that verify
    return release_dir


def csv_bytes(release_dir: Path) -> int:
    """Bytes of the package's CSV files."""
    return sum(p.stat().st_size for p in (release_dir / "datapackage" / "data").glob("*.csv"))
