"""WhiteNoise for an async stack.

WhiteNoise's middleware is sync-only: under ASGI Django would run it, and with it every request
(webhooks too), in a thread of its own. This one answers on the event loop: a request for a
static file is served by WhiteNoise in a thread; every other request goes straight on.
"""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
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
