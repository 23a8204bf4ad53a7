"""`./run serve` installs no build, test or MCP dependency: the API must start and answer without them."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import API_FIXTURE, API_STORE_DIR

BUILD_AND_TEST_ONLY = ["pyarrow", "frictionless", "datasketch", "scipy", "pandas", "mcp", "duckdb", "pytest", "httpx"]

SCRIPT = f"""
import sys
for name in {BUILD_AND_TEST_ONLY!r}:
    sys.modules[name] = None  # importing it now fails, as in a serving install
from api.app import create_app
from api.store import Store
store = Store.open(__import__("pathlib").Path({str(API_FIXTURE)!r}), __import__("pathlib").Path({str(API_STORE_DIR)!r}))
app = create_app(store)
print(len(app.routes))
"""


def test_the_api_imports_and_builds_without_build_test_or_mcp_dependencies() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 20
