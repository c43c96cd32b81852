"""HTTP route tests: Starlette's TestClient on the mounted routes, over a freshly seeded database."""

import pytest
from sqlmodel import Session, SQLModel
from starlette.testclient import TestClient

import portal_app.models  # noqa: F401
from portal_app.db import get_engine
from portal_app.http import http_api
from portal_app.seed import seed


@pytest.fixture
def client():
    engine = get_engine()
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        seed(session, tickets=False)
    with TestClient(http_api, base_url="http://127.0.0.1") as test_client:
        yield test_client
