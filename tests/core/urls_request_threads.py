"""Views that show which thread serves a request
(tests/core/test_requests_are_served_on_kept_threads.py)."""

import threading

from django.http import HttpResponse
from django.urls import path

release = threading.Event()  # a held request goes on when this is set
held = threading.Event()  # set while a request is held


def who(request):
    return HttpResponse(str(threading.get_ident()))


def hold(request):
    held.set()
    release.wait(timeout=10)
    return HttpResponse(str(threading.get_ident()))


urlpatterns = [path("who/", who), path("hold/", hold)]
