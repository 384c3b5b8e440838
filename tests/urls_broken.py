"""A URLconf with a view that fails, to see the 500 page a reader would get."""

from django.urls import path


def boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [path("boom/", boom)]
