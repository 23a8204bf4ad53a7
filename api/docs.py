"""The OpenAPI configuration and an interactive docs page whose assets are served locally (no CDN).

Swagger UI's files come from the ``swagger-ui-py`` package's ``static`` folder and
are served under ``/docs/assets``; the page itself is at ``/docs`` (and ``/schema``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from litestar import Litestar, get
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Schema, Tag
from litestar.response import Redirect
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

ASSETS_PATH = "/docs/assets"
FILE_DOWNLOAD_PATH = "/releases/{version}/files/{name}"
FILE_MEDIA_TYPES = ("text/csv", "application/json", "application/vnd.apache.parquet")

DESCRIPTION = """\
Clause-level data of Chinese fintech policy documents: every numbered item, paragraph and box of national and local
policies, tagged with topics, searchable in Chinese and citable by stable IDs.

* **Clauses**: filter by `city`, `level`, `document`, `topic`, `kind`; search with `q` (Chinese substrings of any
  length; matches highlighted with `<mark>`); page with `limit` and `offset` or `cursor`. Every list gives its next
  page as `meta.next` and as a `Link: <…>; rel="next"` header (RFC 8288). `GET /clauses.ndjson` streams every
  match as JSON Lines.
* **Search syntax** (`q`): `人才 沙盒` (both), `人才 OR 沙盒` (either), `人才 -青岛` (without 青岛), `"金融科技"`
  (exact text, spaces included), `(人才 OR 沙盒) -青岛` (grouping). Traditional characters are searched in both
  forms (`區塊鏈` finds 区块链; `meta.query_converted` says so). A malformed query is a 400 that says where.
* **Citations**: `GET /clauses/{id}/cite` and `GET /documents/{id}/cite` with `format=gbt7714` (GB/T 7714-2015),
  `bibtex`, `ris`, `csl-json` or `text`, pinned to a release.
* **Releases**: every version of the data is served; pass `release=1.0.0` to pin one (default: `latest`).
  Downloads of each release's CSV and JSON files are under `/releases/{version}/files/{name}`.
* **Errors** are RFC 9457 problem details (`application/problem+json`); invalid parameters are listed in
  `invalid_params` with their valid values.
* **Caching**: responses carry an `ETag`; send it back in `If-None-Match` to get `304 Not Modified`.
"""

TAGS = [
    Tag(name="clauses", description="Clauses of policy documents: filter, search, page."),
    Tag(name="documents", description="Policy documents and their outlines."),
    Tag(name="works", description="Laws over time: versions, the text in force on a day, changes between versions."),
    Tag(name="topics", description="The topic vocabulary."),
    Tag(name="measures", description="Quantitative measures (amounts, deadlines, targets) stated in clauses."),
    Tag(name="releases", description="Versions of the data and their files."),
    Tag(name="service", description="Health and index."),
]


def swagger_assets() -> Path | None:
    """Swagger UI's distribution files, from the installed ``swagger_ui`` package."""
    try:
        static = Path(str(resources.files("swagger_ui") / "static"))
    except ModuleNotFoundError:
        return None
    return static if (static / "swagger-ui-bundle.js").is_file() else None


def openapi_config(title: str, version: str) -> OpenAPIConfig:
    swagger = SwaggerRenderPlugin(
        path=["/", "/swagger"],
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/favicon-32x32.png'>",
    )
    return OpenAPIConfig(
        title=title,
        version=version,
        description=DESCRIPTION,
        tags=TAGS,
        path="/schema",
        render_plugins=[swagger, JsonRenderPlugin(), YamlRenderPlugin()],
    )


@get("/docs", include_in_schema=False, sync_to_thread=False)
def docs_page() -> Redirect:
    return Redirect(path="/schema/swagger")


def docs_routes() -> list[ControllerRouterHandler]:
    routes: list[ControllerRouterHandler] = [docs_page]
    assets = swagger_assets()
    if assets is not None:
        routes.append(create_static_files_router(path=ASSETS_PATH, directories=[assets], include_in_schema=False))
    return routes


def _describe_body(app: Litestar, path: str, description: str, media_types: tuple[str, ...]) -> None:
    path_item = app.openapi_schema.paths.get(path) if app.openapi_schema.paths else None
    if path_item is None or path_item.get is None or path_item.get.responses is None:
        return
    path_item.get.responses["200"] = OpenAPIResponse(
        description=description,
        content={
            media_type: OpenAPIMediaType(
                schema=Schema() if media_type.endswith("json") else Schema(type=OpenAPIType.STRING)
            )
            for media_type in media_types
        },
    )


def describe_file_downloads(app: Litestar) -> None:
    """Document the bodies the generic response types leave undocumented: file downloads and citations by format."""
    from api.cite_formats import MEDIA_TYPES

    _describe_body(
        app,
        FILE_DOWNLOAD_PATH,
        "The file's bytes: CSV tables as UTF-8 text, JSON descriptors, Parquet tables.",
        FILE_MEDIA_TYPES,
    )
    cite_types = tuple(dict.fromkeys(m.split(";")[0] for m in MEDIA_TYPES.values()))
    for path in ("/clauses/{clause_id}/cite", "/documents/{document_id}/cite"):
        _describe_body(app, path, "The reference in the requested format.", cite_types)
