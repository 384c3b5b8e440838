from django.urls import path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<row_id:pk>/preview/", views.article_preview, name="preview"),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("sections/<slug:slug>/", views.section_detail, name="section"),
    path("tags/<tag_slug:slug>/", views.tag_detail, name="tag"),
    path("search/", views.search, name="search"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/feed/", feeds.CorrectionFeed(), name="corrections_feed"),
    path("corrections/feed/atom/", feeds.atom(feeds.CorrectionFeed)(), name="corrections_feed_atom"),
    # Feeds: RSS at feed/, Atom at feed/atom/. An author's feed is here, not in authors/urls.py, because it
    # lists articles and authors/ sits below articles/; authors/urls.py has no route under <slug>/feed/.
    path("feed/", feeds.ArticleFeed(), name="feed"),
    path("feed/atom/", feeds.atom(feeds.ArticleFeed)(), name="feed_atom"),
    path("sections/<slug:slug>/feed/", feeds.SectionFeed(), name="section_feed"),
    path("sections/<slug:slug>/feed/atom/", feeds.atom(feeds.SectionFeed)(), name="section_feed_atom"),
    path("tags/<tag_slug:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("tags/<tag_slug:slug>/feed/atom/", feeds.atom(feeds.TagFeed)(), name="tag_feed_atom"),
    path("authors/<slug:slug>/feed/", feeds.AuthorFeed(), name="author_feed"),
    path("authors/<slug:slug>/feed/atom/", feeds.atom(feeds.AuthorFeed)(), name="author_feed_atom"),
]
