from collections.abc import Callable

from django.contrib.syndication.views import Feed
from django.urls import path

from articles import feeds, views
from newsroom.pagecache import public_page

app_name = "articles"


def feed(view: Feed) -> Callable:
    """A feed is a public page too, without the site's navigation and footer (newsroom/pagecache.py)."""
    return public_page(view, chrome=False)


urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<row_id:pk>/preview/", views.article_preview, name="preview"),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("sections/<slug:slug>/", views.section_detail, name="section"),
    path("tags/<tag_slug:slug>/", views.tag_detail, name="tag"),
    path("search/", views.search, name="search"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/feed/", feed(feeds.CorrectionFeed()), name="corrections_feed"),
    path("corrections/feed/atom/", feed(feeds.atom(feeds.CorrectionFeed)()), name="corrections_feed_atom"),
    # Feeds: RSS at feed/, Atom at feed/atom/. An author's feed is here, not in authors/urls.py, because it
    # lists articles and authors/ sits below articles/; authors/urls.py has no route under <slug>/feed/.
    path("feed/", feed(feeds.ArticleFeed()), name="feed"),
    path("feed/atom/", feed(feeds.atom(feeds.ArticleFeed)()), name="feed_atom"),
    path("sections/<slug:slug>/feed/", feed(feeds.SectionFeed()), name="section_feed"),
    path("sections/<slug:slug>/feed/atom/", feed(feeds.atom(feeds.SectionFeed)()), name="section_feed_atom"),
    path("tags/<tag_slug:slug>/feed/", feed(feeds.TagFeed()), name="tag_feed"),
    path("tags/<tag_slug:slug>/feed/atom/", feed(feeds.atom(feeds.TagFeed)()), name="tag_feed_atom"),
    path("authors/<slug:slug>/feed/", feed(feeds.AuthorFeed()), name="author_feed"),
    path("authors/<slug:slug>/feed/atom/", feed(feeds.atom(feeds.AuthorFeed)()), name="author_feed_atom"),
]
