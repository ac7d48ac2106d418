"""The web process serves a sync view's request on a thread it keeps, not on a new thread for
each request (config/handler.py), and still one request at a time on a thread: a request never
waits behind another one's thread, not even one whose client went away mid-request."""

import asyncio
import threading

import pytest
from asgiref.testing import ApplicationCommunicator

from config.asgi import application
from tests.core import urls_request_threads as views

pytestmark = pytest.mark.urls("tests.core.urls_request_threads")


def scope(path: str) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


async def start(path: str) -> ApplicationCommunicator:
    request = ApplicationCommunicator(application, scope(path))
    await request.send_input({"type": "http.request", "body": b"", "more_body": False})
    return request


async def answer(request: ApplicationCommunicator, timeout: float = 5) -> tuple[int, str]:
    head = await request.receive_output(timeout)
    body = await request.receive_output(timeout)
    return head["status"], body["body"].decode()


@pytest.fixture(autouse=True)
def _held_views():
    views.release.clear()
    views.held.clear()
    yield
    views.release.set()  # never leave a request thread waiting


async def test_requests_one_after_another_start_no_thread_each(monkeypatch):
    await answer(await start("/who/"))  # the first may start the thread the next ones use
    started = []
    original = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda t: (started.append(t), original(t)))

    names = {await answer(await start("/who/")) for _ in range(20)}

    assert len(names) == 1 and next(iter(names))[0] == 200
    assert started == []  # Django's own handler starts two threads a request


async def test_a_request_does_not_wait_behind_a_held_one():
    held = await start("/hold/")
    assert await asyncio.to_thread(views.held.wait, 5)

    status, thread = await answer(await start("/who/"), timeout=2)

    assert status == 200
    views.release.set()
    status, held_thread = await answer(held)
    assert status == 200 and held_thread != thread


async def test_a_thread_left_busy_by_a_client_that_went_away_serves_no_next_request():
    gone = await start("/hold/")
    assert await asyncio.to_thread(views.held.wait, 5)
    await gone.send_input({"type": "http.disconnect"})
    await gone.wait(timeout=5)  # the server is done with it; its view still holds its thread

    status, thread = await answer(await start("/who/"), timeout=2)
    assert status == 200
    views.release.set()
    await asyncio.sleep(0.1)  # the held view returns, its thread ends

    status, after = await answer(await start("/who/"), timeout=2)
    assert status == 200 and after == thread  # the kept thread serves on
