"""Response compression: Brotli where the client accepts it, else gzip; never for byte-range downloads.

Parquet files and release archives are sent as stored (they are compressed already), and so
is every answer to a range request (:class:`api.byte_ranges.IdentityForRangesMiddleware`);
everything else over 1 KiB is compressed as the client's ``Accept-Encoding`` asks.
"""

from __future__ import annotations

from litestar.config.compression import CompressionConfig

#: Paths sent as stored: Parquet files and whole-release archives.
UNCOMPRESSED_PATHS = [r"^/releases/[^/]+/files/.*\.parquet$", r"^/releases/[^/]+/archive$"]


def compression_config() -> CompressionConfig:
    return CompressionConfig(
        backend="brotli",
        brotli_gzip_fallback=True,
        brotli_quality=4,
        gzip_compress_level=6,
        minimum_size=1024,
        exclude=UNCOMPRESSED_PATHS,
    )
