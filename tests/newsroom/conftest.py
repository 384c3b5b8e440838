"""Fixtures for the page cache's tests: a request to the front (newsroom/pagecache_wsgi.py) as gunicorn makes it."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from newsroom.pagecache_wsgi import PageCacheFront

# Per response: when, how old, and which cache answered.
PER_RESPONSE = {"age", "x-page-cache"}


@dataclass
class Answer:
    status: str
    headers: list[tuple[str, str]]
    body: bytes

    def __getitem__(self, name: str) -> str:
        return next(value for key, value in self.headers if key.lower() == name.lower())

    def get(self, name: str, default: str | None = None) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), default)

    def page_headers(self) -> dict[str, str]:
        return {key.lower(): value for key, value in self.headers if key.lower() not in PER_RESPONSE}


Call = Callable[..., Answer]


@pytest.fixture
def front() -> Call:
    """A request to the front, as gunicorn makes it, returning what gunicorn would send."""
    application = PageCacheFront(WSGIHandler())

    def call(path: str, method: str = "GET", **headers: str) -> Answer:
        environ = RequestFactory().generic(method, path, headers=headers).environ
        sent: list = []

        def start_response(status: str, response_headers: list, exc_info: object = None) -> Callable:
            sent[:] = [status, list(response_headers)]
            return lambda data: None

        # As Django's test client does: the test's transaction is not the request's to close.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = application(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return Answer(sent[0], sent[1], body)

    return call
