from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    # Each comment's lasting address, for emails and anything else that links to one comment.
    path("<row_id:pk>/", views.comment_link, name="permalink"),
    path("post/<slug:slug>/", views.post_comment_view, name="post"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
