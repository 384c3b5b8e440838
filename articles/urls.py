from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<row_id:pk>/preview/", views.article_preview, name="preview"),
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
    path("sections/<slug:slug>/", views.section_detail, name="section"),
    path("tags/<tag_slug:slug>/", views.tag_detail, name="tag"),
    path("search/", views.search, name="search"),
]
