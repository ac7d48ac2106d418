"""Sign-in throttling: django-axes's backend for every sign-in that comes with a request.

The login page and the admin's always pass the request; code that authenticates without one
(Django's test client, a shell) is not a sign-in from outside and goes straight to the next
backend instead of failing, as django-axes's own backend would.
"""

from axes.backends import AxesStandaloneBackend


class ThrottledSignInBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
