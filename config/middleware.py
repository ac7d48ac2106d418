"""Middleware for an async stack: nothing on a webhook's way runs in a thread.

- WebhookFastPath: the providers' webhooks skip the browsers' middleware;
- SyncViewsInOneThread: a request for a sync view (the REST API's, the pages') runs the
  middleware and the view in one thread, instead of hopping to it and back for each middleware;
- StaticFilesMiddleware: WhiteNoise's middleware is sync-only, and under ASGI Django would run it,
  and with it every request, in a thread of its own. This one answers on the event loop: a
  request for a static file is served by WhiteNoise in a thread, every other one goes on.
"""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.urls import Resolver404, resolve
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    sync_capable = True
    async_capable = True

    def __init__(self, get_response=None, settings=None):
        if settings is None:
            super().__init__(get_response)
        else:
            super().__init__(get_response, settings=settings)
        self._async = iscoroutinefunction(get_response)
        if self._async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self._async:
            return self.__acall__(request)
        return super().__call__(request)

    async def __acall__(self, request):
        if request.path_info.startswith(self.static_prefix):
            # Finding the file may read the disk (autorefresh), serving it opens it.
            static_file = await sync_to_async(self._find, thread_sensitive=False)(request)
            if static_file is not None:
                return self.serve(static_file, request)
        return await self.get_response(request)

    def _find(self, request):
        if self.autorefresh:
            return self.find_file(request.path_info)
        return self.files.get(request.path_info)


class _AsyncFirst:
    """A middleware that does its work on the async path (__acall__) and passes requests
    straight on when the stack runs in sync mode (WSGI, the test client)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self._async = iscoroutinefunction(get_response)
        if self._async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self._async:
            return self.__acall__(request)
        return self.get_response(request)


class WebhookFastPath(_AsyncFirst):
    """The providers' webhooks skip the middleware that serves people's browsers.

    Django runs each MiddlewareMixin middleware's hooks in a thread under ASGI, two hops each;
    a webhook needs none of them (no session, sign-in, language, CSRF token, frame or content
    policy: a provider's server reads the answer, no browser). An async view under /webhooks/
    is called straight from here, on the event loop; anything else (a path that does not
    resolve, plain http where https is required, a sync view) goes through the whole stack.
    """

    PREFIX = "/webhooks/"

    async def __acall__(self, request):
        match = self._webhook(request)
        if match is None:
            return await self.get_response(request)
        request.get_host()  # ALLOWED_HOSTS still holds: DisallowedHost is answered 400
        request.resolver_match = match
        return await match.func(request, *match.args, **match.kwargs)

    def _webhook(self, request):
        if not request.path_info.startswith(self.PREFIX):
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None  # SecurityMiddleware redirects it
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        return match if iscoroutinefunction(match.func) else None


class SyncViewsInOneThread(_AsyncFirst):
    """A sync view's request runs the whole middleware stack in sync mode, in one thread.

    Under ASGI, Django runs each MiddlewareMixin middleware's hooks in a thread, two hops each
    (to the request's thread and back), and then the sync view in that thread: some twenty hops
    for a REST API call, milliseconds on a busy machine. For a path that resolves to a sync
    view, this middleware hands the request to the same stack loaded in sync mode (as WSGI and
    the test client run it: the same middleware, hooks and answers) in a single hop. Async
    views (the webhooks, served before this by WebhookFastPath) and paths that do not resolve
    go on through the async stack.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self._sync_stack = None

    async def __acall__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        if match is None or iscoroutinefunction(match.func):
            return await self.get_response(request)
        return await sync_to_async(self._stack(), thread_sensitive=True)(request)

    def _stack(self):
        if self._sync_stack is None:
            handler = BaseHandler()
            # The whole MIDDLEWARE in sync mode: this class and WebhookFastPath pass it on.
            handler.load_middleware(is_async=False)
            self._sync_stack = handler._middleware_chain
        return self._sync_stack
