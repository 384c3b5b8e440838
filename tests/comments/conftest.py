import pytest

from tests.factories import ArticleFactory


@pytest.fixture
def article():
    """A published story open for comments."""
    return ArticleFactory(published=True)
