"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.store import Store
from tests.helpers import API_FIXTURE, API_STORE_DIR


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """A client of the API over the fixture package (one per test module)."""
    with TestClient(create_app(Store.open(API_FIXTURE, API_STORE_DIR))) as test_client:
        yield test_client
