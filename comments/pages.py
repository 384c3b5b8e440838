"""How a page of an article's comments is addressed: the one rule every link to one follows."""

from django.http import QueryDict


def page_query(number: int) -> QueryDict:
    """A comment page's query string, for `{% querystring %}` or `.urlencode()`.

    The first page's address has none, so each page has exactly one address (and one cache entry).
    """
    query = QueryDict(mutable=True)
    if number > 1:
        query["comments_page"] = str(number)
    return query
