"""A global send rate per sender (WhatsApp number, Messenger page), shared by every worker.

Celery's `rate_limit` counts per worker; the provider counts per sender. This is a GCRA
("virtual scheduling") limiter: one key per sender holds the theoretical arrival time (TAT) of
the next free slot, one slot every 1/rate seconds, kept in Redis and moved by a Lua script on
Redis's own clock, so any number of workers together stay at the rate while using all of it.

Lanes share the slots but not the waiting:
- a bulk send reserves the next slot and sleeps until it, but only up to BULK_HORIZON ahead;
  beyond that it is told to come back later (it holds no slot while it waits);
- an interactive send (an agent's reply, an opt-in confirmation) also takes a slot, so it counts
  against the rate, but goes out at once: it may run up to INTERACTIVE_BURST slots ahead of the
  bulk reservations. Bulk work after it simply starts one slot later. Over any stretch of time
  the sender stays at the rate; a reply never queues behind a disruption's drain.

Bulk sends book their slots several at a time (slots_reserve_async, one round trip for up to
`count` consecutive slots within the horizon), so the limiter costs a fraction of a round trip
per message.

Without Redis (embedded mode) the same arithmetic runs in-process under a lock.
"""

import asyncio
import threading
import time
from dataclasses import dataclass

import redis
import redis.asyncio
from django.conf import settings
from redis.exceptions import NoScriptError

# How far ahead a bulk send may book its slot: enough for every concurrent send of every
# worker to hold one, small enough that a stopped worker wastes little.
BULK_HORIZON = 1.0
# Slots an interactive send may run ahead of what bulk has booked.
INTERACTIVE_BURST = 10
# Slots left unused in the last CATCH_UP seconds (both workers between batches) may still be
# taken, so short pauses do not cost throughput. Any second then holds at most rate × 1.1
# messages; providers count per second and queue small excesses (Twilio queues, not refuses).
CATCH_UP = 0.1

_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local horizon = tonumber(ARGV[2])
local interactive = ARGV[3] == '1'
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local slack = tonumber(ARGV[5])
if tat < now - slack then tat = now - slack end
local ahead = tat - now
if ahead < 0 then ahead = 0 end
if not interactive and ahead > horizon then
  return {0, ahead - horizon}
end
local nexttat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', nexttat),
           'PX', math.floor((nexttat - now) / 1000) + 1000)
if interactive then
  local late = ahead - horizon - interval * tonumber(ARGV[4])
  if late < 0 then late = 0 end
  return {1, late}
end
return {1, ahead}
"""

# The same for `count` consecutive bulk slots: how many were booked (0: come back after the
# second value), and how far ahead the first one is (microseconds).
_MANY_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local horizon = tonumber(ARGV[2])
local count = tonumber(ARGV[3])
local slack = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now - slack then tat = now - slack end
local ahead = tat - now
if ahead < 0 then ahead = 0 end
if ahead > horizon then
  return {0, ahead - horizon}
end
local room = math.floor((horizon - ahead) / interval) + 1
if room < count then count = room end
local nexttat = tat + interval * count
redis.call('SET', KEYS[1], string.format('%d', nexttat),
           'PX', math.floor((nexttat - now) / 1000) + 1000)
return {count, ahead}
"""


@dataclass(frozen=True)
class Slot:
    granted: bool
    wait: float  # granted: seconds until the slot; refused: seconds until asking again helps


def rate_for(channel: str, sender: str) -> float:
    """Messages per second allowed for a channel's sender; 0 means no limit.

    An adapter without a sender (the sandbox) talks to no provider and has no limit.
    """
    return float(settings.DELIVERY_RATE_LIMITS.get(channel, 0) or 0) if sender else 0.0


def _key(channel: str, sender: str) -> str:
    return f"thuisfront:rate:{channel}:{sender}"


class _LocalLimiter:
    """The same GCRA in one process (embedded mode: one worker, no Redis)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tat: dict[str, float] = {}

    def reserve(self, key: str, rate: float, interactive: bool) -> Slot:
        interval = 1.0 / rate
        with self._lock:
            now = time.monotonic()
            tat = max(self._tat.get(key, now), now - CATCH_UP)
            ahead = max(0.0, tat - now)
            if not interactive and ahead > BULK_HORIZON:
                return Slot(False, ahead - BULK_HORIZON)
            self._tat[key] = tat + interval
        if interactive:
            return Slot(True, max(0.0, ahead - BULK_HORIZON - interval * INTERACTIVE_BURST))
        return Slot(True, ahead)

    def reserve_many(self, key: str, rate: float, count: int) -> tuple[int, float]:
        interval = 1.0 / rate
        with self._lock:
            now = time.monotonic()
            tat = max(self._tat.get(key, now), now - CATCH_UP)
            ahead = max(0.0, tat - now)
            if ahead > BULK_HORIZON:
                return 0, ahead - BULK_HORIZON
            count = min(count, int((BULK_HORIZON - ahead) / interval) + 1)
            self._tat[key] = tat + interval * count
        return count, ahead


class _RedisLimiter:
    def __init__(self, url: str) -> None:
        self._sync = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._url = url
        self._async: dict[int, object] = {}  # one async client per event loop
        self._script = self._sync.register_script(_SCRIPT)
        self._many = self._sync.register_script(_MANY_SCRIPT)

    def _args(self, rate: float, interactive: bool) -> list:
        return [
            int(1_000_000 / rate),
            int(BULK_HORIZON * 1_000_000),
            "1" if interactive else "0",
            INTERACTIVE_BURST,
            int(CATCH_UP * 1_000_000),
        ]

    def client_async(self):
        loop_id = id(asyncio.get_running_loop())
        client = self._async.get(loop_id)
        if client is None:
            client = self._async[loop_id] = redis.asyncio.Redis.from_url(
                self._url, socket_timeout=2, socket_connect_timeout=2
            )
        return client

    async def reserve_async(self, key: str, rate: float, interactive: bool) -> Slot:
        client = self.client_async()
        args = (self._script.sha, 1, key, *self._args(rate, interactive))
        try:
            granted, micros = await client.evalsha(*args)
        except NoScriptError:  # Redis restarted and forgot the script
            await client.script_load(_SCRIPT)
            granted, micros = await client.evalsha(*args)
        return Slot(bool(granted), int(micros) / 1_000_000)

    async def reserve_many_async(self, key: str, rate: float, count: int) -> tuple[int, float]:
        client = self.client_async()
        args = (
            self._many.sha,
            1,
            key,
            int(1_000_000 / rate),
            int(BULK_HORIZON * 1_000_000),
            count,
            int(CATCH_UP * 1_000_000),
        )
        try:
            granted, micros = await client.evalsha(*args)
        except NoScriptError:  # Redis restarted and forgot the script
            await client.script_load(_MANY_SCRIPT)
            granted, micros = await client.evalsha(*args)
        return int(granted), int(micros) / 1_000_000


_limiter: _LocalLimiter | _RedisLimiter | None = None
_limiter_lock = threading.Lock()


def _get() -> "_LocalLimiter | _RedisLimiter":
    global _limiter
    with _limiter_lock:
        if _limiter is None:
            _limiter = _RedisLimiter(settings.REDIS_URL) if settings.REDIS_URL else _LocalLimiter()
        return _limiter


def reset() -> None:
    """Forget the limiter (tests change settings; a forked worker must not share sockets)."""
    global _limiter
    with _limiter_lock:
        _limiter = None


async def slot_reserve_async(*, channel: str, sender: str, interactive: bool) -> Slot:
    rate = rate_for(channel, sender)
    if rate <= 0:
        return Slot(True, 0.0)
    limiter = _get()
    if isinstance(limiter, _RedisLimiter):
        return await limiter.reserve_async(_key(channel, sender), rate, interactive)
    return limiter.reserve(_key(channel, sender), rate, interactive)


async def slots_reserve_async(*, channel: str, sender: str, count: int) -> tuple[int, float]:
    """Book up to `count` consecutive bulk slots: (booked, seconds until the first).

    None booked means the horizon is full: the second value says when asking again helps.
    """
    rate = rate_for(channel, sender)
    if rate <= 0:
        return count, 0.0
    limiter = _get()
    if isinstance(limiter, _RedisLimiter):
        return await limiter.reserve_many_async(_key(channel, sender), rate, count)
    return limiter.reserve_many(_key(channel, sender), rate, count)


def redis_async():
    """An asyncio Redis client on the broker for this event loop (services mode only)."""
    limiter = _get()
    if not isinstance(limiter, _RedisLimiter):
        raise RuntimeError("no Redis in embedded mode")
    return limiter.client_async()
