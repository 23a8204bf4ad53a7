"""Clause headings and texts as the store keeps them: each a Zstandard frame, compressed with a dictionary.

A clause's text is short (a few hundred bytes), too short to compress well alone; a dictionary trained on a
sample of the release's texts (kept in the store's ``text_dictionary`` table) gives each frame the words it
shares with the others. At 1M clauses the texts take about a third of their UTF-8 size. A frame keeps no magic
number, checksum or dictionary ID (the store holds one dictionary; SQLite checks its pages).

Readers see plain text: every connection to a store has an SQL function that decodes its frames (the ``clauses``
view reads ``heading`` and ``text`` through it), and Python decodes frames with :meth:`Codec.text`. The
function's name holds the dictionary's hash (:attr:`Codec.sql_function`), so two stores attached to one
connection (:mod:`api.release_changes`) each decode with their own.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence

import zstandard

#: The dictionary's size (at most an eighth of the sample's, and none below the least), and the most texts it is
#: trained on (taken evenly through the release).
DICTIONARY_BYTES = 112_640
MIN_DICTIONARY_BYTES = 4096
SAMPLE_TEXTS = 20_000
LEVEL = 3
#: How many decoded headings a codec keeps (all are dropped when it is full).
HEADINGS_KEPT = 4096
SCHEMA = "CREATE TABLE text_dictionary (sql_function TEXT NOT NULL, bytes BLOB NOT NULL)"
MAGICLESS = zstandard.FORMAT_ZSTD1_MAGICLESS


class Codec:
    """Packs texts into frames and back, with one dictionary (or none: an empty ``dictionary``)."""

    def __init__(self, dictionary: bytes) -> None:
        self.dictionary = dictionary
        self.sql_function = f"clause_text_{hashlib.sha256(dictionary).hexdigest()[:16]}"
        data = zstandard.ZstdCompressionDict(dictionary) if dictionary else None
        params = zstandard.ZstdCompressionParameters.from_level(
            LEVEL, format=MAGICLESS, write_checksum=0, write_content_size=1, write_dict_id=0
        )
        self.compressor = zstandard.ZstdCompressor(dict_data=data, compression_params=params)
        self.decompressor = zstandard.ZstdDecompressor(dict_data=data, format=MAGICLESS)
        self.headings: dict[bytes, str] = {}

    @classmethod
    def trained(cls, texts: Sequence[str]) -> Codec:
        """A codec whose dictionary is trained on up to :data:`SAMPLE_TEXTS` of ``texts``, taken evenly; with no
        dictionary when they are too few or too alike to train one."""
        step = max(1, len(texts) // SAMPLE_TEXTS)
        sample: list[bytes | bytearray | memoryview] = [t.encode() for t in texts[::step] if t]
        size = min(DICTIONARY_BYTES, sum(map(len, sample)) // 8)
        if size < MIN_DICTIONARY_BYTES:
            return cls(b"")
        try:
            return cls(zstandard.train_dictionary(size, sample, level=LEVEL).as_bytes())
        except zstandard.ZstdError:
            return cls(b"")

    def frame(self, text: str) -> bytes:
        return self.compressor.compress(text.encode())

    def frames(self, texts: list[str]) -> list[bytes]:
        """:meth:`frame` of each of ``texts``, compressed together without Python's global lock."""
        if not texts:
            return []
        frames = self.compressor.multi_compress_to_buffer([t.encode() for t in texts])
        return [frames[i].tobytes() for i in range(len(frames))]

    def text(self, frame: bytes) -> str:
        return self.decompressor.decompress(frame).decode()

    def heading(self, frame: bytes) -> str:
        """:meth:`text` of a heading frame, kept: headings repeat (a chapter's over its clauses), and a look-up
        costs less than a decompression."""
        found = self.headings.get(frame)
        if found is None:
            if len(self.headings) >= HEADINGS_KEPT:
                self.headings.clear()
            found = self.headings[frame] = self.text(frame)
        return found


def write_dictionary(db: sqlite3.Connection, codec: Codec) -> None:
    db.execute(SCHEMA)
    db.execute("INSERT INTO text_dictionary VALUES (?, ?)", (codec.sql_function, codec.dictionary))


_local = threading.local()


def codec(db: sqlite3.Connection, schema: str = "main") -> Codec:
    """The codec of the store attached to ``db`` as ``schema``: one per dictionary and thread (a Zstandard
    context serves one thread at a time)."""
    (name,) = db.execute(f"SELECT sql_function FROM {schema}.text_dictionary").fetchone()
    codecs: dict[str, Codec] = _local.__dict__.setdefault("codecs", {})
    if name not in codecs:  # the dictionary (about 110 KB) is read once per thread
        (dictionary,) = db.execute(f"SELECT bytes FROM {schema}.text_dictionary").fetchone()
        codecs[name] = Codec(dictionary)
    return codecs[name]


def register(db: sqlite3.Connection, schema: str = "main") -> Codec:
    """:func:`codec`, with its SQL function defined on the connection (called from the thread that reads it)."""
    found = codec(db, schema)
    db.create_function(found.sql_function, 1, found.text, deterministic=True)
    return found
