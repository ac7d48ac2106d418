"""A fast fake of Twilio's Messages API and Meta's Graph Send API for benches (aiohttp, asyncio).

    .venv/bin/python bench/fast_fake.py --port 8099

tests/fakes/providers.py (a thread per request, status callbacks, failure modes) is what the
tests need; at several thousand requests a second it is itself the bottleneck, so a bench
that measures the engine against a bare client needs a fake that answers faster than either.
This one answers as the providers do on success, with their rate limits when told to:

- POST /2010-04-01/Accounts/{sid}/Messages.json → 201 and a Message resource with a fresh SM…
  sid (Basic auth checked against --account-sid/--auth-token); beyond the rate limit 429 with
  Twilio's error 20429 and Retry-After;
- POST /{version}/{page_id}/messages → 200 {"recipient_id", "message_id"}; beyond the rate
  limit 400 with Graph error 613;
- GET /_fake/stats?to=… → {"accepted", "refused", "first", "last", "to_at"} (wall-clock times
  of the first and last accepted send, and of the first send to `to`);
- POST /_fake/config {"rate_limit": 80, "rate_burst": 80} and /_fake/config/reset (the same,
  and the counts start again).
"""

import argparse
import base64
import json
import time
import uuid
from urllib.parse import parse_qsl

from aiohttp import web


class Fake:
    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.auth = "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self.rate_limit = 0.0
        self.rate_burst = 10
        self.reset()

    def reset(self) -> None:
        self.accepted = 0
        self.refused = 0
        self.first: float | None = None
        self.last: float | None = None
        self.first_to: dict[str, float] = {}
        self.buckets: dict[str, tuple[float, float]] = {}

    def take(self, sender: str) -> bool:
        """A token from the sender's bucket (rate_limit a second, holding rate_burst)."""
        if not self.rate_limit:
            return True
        now = time.monotonic()
        tokens, at = self.buckets.get(sender, (float(self.rate_burst), now))
        tokens = min(float(self.rate_burst), tokens + (now - at) * self.rate_limit)
        if tokens < 1:
            self.buckets[sender] = (tokens, now)
            return False
        self.buckets[sender] = (tokens - 1, now)
        return True

    def accept(self, to: str) -> None:
        now = time.time()
        self.accepted += 1
        self.first = self.first or now
        self.last = now
        self.first_to.setdefault(to, now)

    async def twilio(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != self.auth:
            return web.json_response({"code": 20003, "message": "Authenticate"}, status=401)
        form = dict(parse_qsl(await request.text()))
        if not self.take(form.get("From", "")):
            self.refused += 1
            return web.json_response(
                {"code": 20429, "message": "Too Many Requests", "status": 429},
                status=429,
                headers={"Retry-After": "1"},
            )
        self.accept(form.get("To", ""))
        sid = "SM" + uuid.uuid4().hex
        account = request.match_info["account"]
        return web.json_response(
            {
                "sid": sid,
                "account_sid": account,
                "to": form.get("To", ""),
                "from": form.get("From", ""),
                "body": form.get("Body", ""),
                "status": "queued",
                "num_segments": "1",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
            },
            status=201,
        )

    async def graph(self, request: web.Request) -> web.Response:
        body = json.loads(await request.read())
        if not self.take(request.match_info["page"]):
            self.refused += 1
            return web.json_response(
                {
                    "error": {
                        "message": "Calls to this api have exceeded the rate limit.",
                        "type": "OAuthException",
                        "code": 613,
                    }
                },
                status=400,
            )
        psid = body.get("recipient", {}).get("id", "")
        self.accept(psid)
        return web.json_response({"recipient_id": psid, "message_id": "m_" + uuid.uuid4().hex})

    async def stats(self, request: web.Request) -> web.Response:
        to = request.query.get("to", "")
        return web.json_response(
            {
                "accepted": self.accepted,
                "refused": self.refused,
                "first": self.first,
                "last": self.last,
                "to_at": self.first_to.get(to) if to else None,
            }
        )

    async def config(self, request: web.Request) -> web.Response:
        values = await request.json() if request.can_read_body else {}
        if request.match_info.get("reset"):
            self.reset()
            self.rate_limit, self.rate_burst = 0.0, 10
        self.rate_limit = float(values.get("rate_limit", self.rate_limit))
        self.rate_burst = int(values.get("rate_burst", self.rate_burst))
        return web.json_response({"rate_limit": self.rate_limit, "rate_burst": self.rate_burst})


def app(fake: Fake) -> web.Application:
    application = web.Application()
    application.router.add_post("/2010-04-01/Accounts/{account}/Messages.json", fake.twilio)
    application.router.add_post("/{version}/{page}/messages", fake.graph)
    application.router.add_get("/_fake/stats", fake.stats)
    application.router.add_post("/_fake/config", fake.config)
    application.router.add_post("/_fake/config/{reset:reset}", fake.config)
    return application


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--account-sid", default="AC" + "1" * 32)
    parser.add_argument("--auth-token", default="twilio-test-token")
    args = parser.parse_args()
    web.run_app(
        app(Fake(args.account_sid, args.auth_token)),
        host="127.0.0.1",
        port=args.port,
        access_log=None,
        print=None,
    )


if __name__ == "__main__":
    main()
