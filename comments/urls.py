from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("post/<slug:slug>/", views.post_comment_view, name="post"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
