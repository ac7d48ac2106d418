"""Thuisfront settings: read from the environment once, here (see README, "Configuration").

Two modes:
- embedded (no REDIS_URL): SQLite under var/, a Celery worker inside the web process on an
  in-memory broker, the in-memory channel layer, sandbox messaging for unconfigured channels;
- services (REDIS_URL set): Celery and the channel layer on Redis, DATABASE_URL (PostgreSQL).
"""

import os
from datetime import time, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


REDIS_URL = _env("REDIS_URL")
EMBEDDED = not REDIS_URL

DEBUG = _env_bool("DEBUG", EMBEDDED)
DEMO_SECRET_KEY = "embedded-demo-only-not-secret"
SECRET_KEY = _env("SECRET_KEY") or (DEMO_SECRET_KEY if EMBEDDED else "")
if not EMBEDDED and (
    not SECRET_KEY or SECRET_KEY == DEMO_SECRET_KEY or SECRET_KEY.startswith("django-insecure")
):
    # Without a real key every signed cookie and password reset is forgeable: refuse to start.
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value in services mode (REDIS_URL is set), e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = [
    h.strip()
    for h in _env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [PUBLIC_BASE_URL]
# Pages that open the inbox's WebSocket: its Origin must be one of these (scheme, host and port),
# or the very origin the socket was opened on (config/websocket.py).
WEBSOCKET_ALLOWED_ORIGINS = [PUBLIC_BASE_URL] + [
    o.strip().rstrip("/") for o in _env("WEBSOCKET_ALLOWED_ORIGINS").split(",") if o.strip()
]

# --- Security behind TLS (README "Security") ---------------------------------------------------
# Served over https (PUBLIC_BASE_URL says so): cookies only over TLS, HSTS, http redirected.
BEHIND_TLS = PUBLIC_BASE_URL.startswith("https://")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = BEHIND_TLS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", BEHIND_TLS)
# A load balancer's health probe may come over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(_env("SECURE_HSTS_SECONDS", "31536000" if BEHIND_TLS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", BEHIND_TLS)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", BEHIND_TLS)
# Only behind a proxy that sets this header itself (and strips it from clients): e.g.
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto makes a request that came in over TLS count as https.
_proxy_header = _env("SECURE_PROXY_SSL_HEADER")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The whole site works with scripts and styles from itself only: the inbox, the phone simulator
# and Swagger UI (django-ninja's own files) load nothing from elsewhere. Attachments people send
# are shown from the providers' https links; the inbox's socket is same-origin ('self').
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https:"],
        "media-src": ["'self'", "https:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# /healthz shows the public only up or down; staff, or this token as a Bearer, see the details.
HEALTHZ_TOKEN = _env("HEALTHZ_TOKEN")

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# that account can not sign in for AXES_COOLOFF_MINUTES, from anywhere (the answer is 429).
AXES_FAILURE_LIMIT = int(_env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(_env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# W006 warns that a lockout without the IP address can be dodged by rotating user agents or
# cookies; ours is per account, which neither dodges. Per IP address it would lock out every agent
# of an office behind one NAT after a colleague's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not recorded, only failures
AXES_VERBOSE = False  # usernames and addresses stay out of the logs
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AUTHENTICATION_BACKENDS = [
    "config.auth.ThrottledSignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # OpClass in the search indexes' migrations; on SQLite it stays idle.
    "django.contrib.postgres",
    "ninja",  # its templates and static files: /api/v1/docs loads Swagger UI from here, not a CDN
    "channels",
    "core",
    "notifications",
    "update_groups",
    "channels_whatsapp",
    "channels_messenger",
    "webcare_inbox",
    "contact_reasons",
    "privacy",
    "documents",
    "insights",
    "sandbox",
    "axes",
]

MIDDLEWARE = [
    # First: Twilio's and Meta's webhooks go straight to their async views (config/middleware.py).
    "config.middleware.WebhookFastPath",
    # Then a sync view (the REST API, the pages) runs the rest in one thread (config/middleware.py).
    "config.middleware.SyncViewsInOneThread",
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise, async-capable: webhooks and pages never hop to a thread for it.
    "config.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "insights.access.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = _env("DATABASE_URL", "sqlite:///var/thuisfront.sqlite3")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    name = Path(_db["NAME"])
    if not name.is_absolute():
        name = BASE_DIR / name
    name.parent.mkdir(parents=True, exist_ok=True)
    _db["NAME"] = str(name)
    # The embedded worker thread writes while requests do: wait for the lock instead of failing,
    # and take the write lock at BEGIN so two writers never deadlock on an upgrade.
    _db["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Connections to PostgreSQL kept open and shared by the threads of one process (psycopg's pool,
# Django's "pool" option) instead of a new connection for each request, which costs PostgreSQL a
# backend process and its first catalog reads, tens of milliseconds on a busy machine. For the
# web process (README "Services mode"); 0 = a connection per request, as Django does by default.
DATABASE_POOL_SIZE = int(_env("DATABASE_POOL_SIZE", "0"))
if DATABASE_POOL_SIZE and _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        "timeout": 10,
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth, i18n, static -----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/inbox/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from here after collectstatic
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Channel layer ----------------------------------------------------------------------------
if EMBEDDED:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": _env("CHANNEL_LAYER_PREFIX", "thuisfront")},
        }
    }

# --- Celery -----------------------------------------------------------------------------------
# Delivery guarantees. The database is the source of truth: deliveries are rows, and tasks
# (queued after commit) only carry ids; every task is harmless when it runs twice (claims by
# conditional update), so redelivery can only help and a lost task is found by the sweep.
# - acks_late: a task is acknowledged after it ran, so a worker dying mid-task leaves it in the
#   broker instead of losing it;
# - reject_on_worker_lost: a task whose pool process was killed (SIGKILL, OOM) is put back at
#   once instead of being acknowledged as failed;
# - prefetch 1: a worker holds no more tasks than it runs, so interactive work is not stuck in
#   the buffer of a worker busy with bulk, and a killed worker takes little with it;
# - visibility_timeout: Redis hands an unacknowledged task to another worker after this long.
#   It must exceed the longest countdown we schedule (retries back off to at most 15 min) and
#   the longest task, or a delayed task would run twice; 2 h leaves room. Tasks of a worker that
#   vanished entirely are not waited for: the sweep re-queues their deliveries within minutes.
# - queue_order_strategy "priority": kombu asks Redis for the lanes in the order the worker
#   lists them (interactive, then bulk) instead of round-robin, so waiting interactive work is
#   always taken first.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a Redis restart is waited out, never fatal
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * 3600,
    "queue_order_strategy": "priority",
}
CELERY_TASK_DEFAULT_QUEUE = "bulk"
# Lanes (queues, declared in config/celery.py, interactive first): a worker started without -Q
# consumes every lane; agent replies, automated answers and confirmations never wait behind a
# fan-out (see notifications/services/batch.py for how a running bulk batch steps aside).
CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# The delivery engine. Rates are messages per second per sender (0 = no limit): WhatsApp's
# default is 80/s per number, Messenger's about 300/s per page.
DELIVERY_RATE_LIMITS = {
    "whatsapp": float(_env("WHATSAPP_RATE_LIMIT", "80")),
    "messenger": float(_env("MESSENGER_RATE_LIMIT", "300")),
}
DELIVERY_SEND_BATCH = int(_env("DELIVERY_SEND_BATCH", "200"))  # deliveries per task
# CPU priority a worker's pool processes give up (os.nice), so that a web process on the same
# machine answers webhooks first (notifications/shutdown.py); 0 = none.
WORKER_NICE = int(_env("WORKER_NICE", "10"))
DELIVERY_SEND_CONCURRENCY = int(
    _env("DELIVERY_SEND_CONCURRENCY", "16")
)  # requests at once per task
DELIVERY_RETRY_BASE_SECONDS = float(
    _env("DELIVERY_RETRY_BASE_SECONDS", "2")
)  # first backoff ceiling
DELIVERY_SWEEP_INTERVAL_SECONDS = float(_env("DELIVERY_SWEEP_INTERVAL_SECONDS", "60"))
# Committed work not picked up within this long is queued again by the sweep.
DELIVERY_SWEEP_GRACE_SECONDS = float(_env("DELIVERY_SWEEP_GRACE_SECONDS", "60"))
# A delivery claimed this long ago, without a lease and without any sign from the provider, is
# tried again (claims made before leases existed).
DELIVERY_STUCK_AFTER_SECONDS = float(_env("DELIVERY_STUCK_AFTER_SECONDS", "300"))
# A worker holds its claims this long unless it renews them (it does, every third of it, while
# it sends); a dead worker's claims are taken over when it runs out, by the lease sweep that
# runs every DELIVERY_LEASE_SWEEP_SECONDS. Together they bound how late a killed worker's
# recipients hear: lease + sweep interval + a batch's send time.
DELIVERY_LEASE_SECONDS = float(_env("DELIVERY_LEASE_SECONDS", "15"))
DELIVERY_LEASE_SWEEP_SECONDS = float(_env("DELIVERY_LEASE_SWEEP_SECONDS", "5"))

CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "notifications.tasks.sweep",
        "schedule": DELIVERY_SWEEP_INTERVAL_SECONDS,
    },
    "notifications-leases": {
        "task": "notifications.tasks.leases_sweep",
        "schedule": DELIVERY_LEASE_SWEEP_SECONDS,
        # On the interactive lane: it must not wait behind a fan-out's queued batches.
        "options": {"expires": DELIVERY_LEASE_SWEEP_SECONDS, "queue": "interactive"},
    },
}
# Status callbacks are applied by a run the webhook asks for; this one catches what was stored
# while no worker ran or a run was lost (notifications/enqueue.py: status_apply_soon).
STATUS_APPLY_SAFETY_SECONDS = float(_env("STATUS_APPLY_SAFETY_SECONDS", "10"))
CELERY_BEAT_SCHEDULE["notifications-status-apply"] = {
    "task": "notifications.tasks.status_reports_apply",
    "schedule": STATUS_APPLY_SAFETY_SECONDS,
    "kwargs": {"claim": True},
    "options": {"queue": "status"},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
EMBEDDED_WORKER = _env_bool("EMBEDDED_WORKER", EMBEDDED)

# --- Messaging providers ----------------------------------------------------------------------
TWILIO_ACCOUNT_SID = _env("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = _env("TWILIO_AUTH_TOKEN")
TWILIO_WHATSAPP_FROM = _env("TWILIO_WHATSAPP_FROM")
TWILIO_API_BASE = _env("TWILIO_API_BASE", "https://api.twilio.com").rstrip("/")

MESSENGER_PAGE_ID = _env("MESSENGER_PAGE_ID")
MESSENGER_PAGE_ACCESS_TOKEN = _env("MESSENGER_PAGE_ACCESS_TOKEN")
MESSENGER_APP_SECRET = _env("MESSENGER_APP_SECRET")
MESSENGER_VERIFY_TOKEN = _env("MESSENGER_VERIFY_TOKEN")
MESSENGER_API_BASE = _env("MESSENGER_API_BASE", "https://graph.facebook.com").rstrip("/")
MESSENGER_API_VERSION = _env("MESSENGER_API_VERSION", "v25.0")

TWILIO_SETTINGS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM")
MESSENGER_SETTINGS = (
    "MESSENGER_PAGE_ID",
    "MESSENGER_PAGE_ACCESS_TOKEN",
    "MESSENGER_APP_SECRET",
    "MESSENGER_VERIFY_TOKEN",
)


def _configured(names: tuple[str, ...]) -> bool:
    return any(globals()[n] for n in names)


# The adapter per channel, by dotted path (like EMAIL_BACKEND). A channel with no credentials
# at all uses the sandbox; one with some but not all fails a system check at start-up.
MESSAGING_ADAPTERS = {
    "whatsapp": _env(
        "WHATSAPP_ADAPTER",
        "channels_whatsapp.adapter.TwilioAdapter"
        if _configured(TWILIO_SETTINGS)
        else "sandbox.adapter.SandboxAdapter",
    ),
    "messenger": _env(
        "MESSENGER_ADAPTER",
        "channels_messenger.adapter.MessengerAdapter"
        if _configured(MESSENGER_SETTINGS)
        else "sandbox.adapter.SandboxAdapter",
    ),
}
# Public numbers/pages used in opt-in links; in the sandbox these are demo values.
WHATSAPP_PUBLIC_NUMBER = TWILIO_WHATSAPP_FROM.removeprefix("whatsapp:") or "+31850000000"
MESSENGER_PAGE_NAME = _env("MESSENGER_PAGE_NAME", MESSENGER_PAGE_ID or "thuisfront.demo")

# The sandbox pages (phone simulator, operator panel) are on only when every channel uses the
# sandbox, or when SANDBOX_ENABLED=1 says so. Even then they show and act only on the people of
# sandbox channels (sandbox/access.py): a real channel's travellers never appear there.
SANDBOX_ENABLED = _env_bool(
    "SANDBOX_ENABLED", all(p.startswith("sandbox.") for p in MESSAGING_ADAPTERS.values())
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": _env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Trip events: plausible times (core/trips.py) ----------------------------------------------
# An estimated or actual departure this long before the scheduled one is a typing error.
TRIP_EARLIEST_DEPARTURE_MARGIN_MINUTES = int(_env("TRIP_EARLIEST_DEPARTURE_MARGIN_MINUTES", "60"))
# A departure or arrival this long after the scheduled one is a typing error too.
TRIP_LATEST_DELAY_HOURS = int(_env("TRIP_LATEST_DELAY_HOURS", "72"))

# --- Bookings in bulk (POST /api/v1/bookings/bulk) --------------------------------------------
# One request carries at most this many booking documents and this many bytes; the import
# command (manage.py import_bookings) reads files of any size.
BOOKINGS_BULK_MAX_DOCUMENTS = int(_env("BOOKINGS_BULK_MAX_DOCUMENTS", "1000"))
BOOKINGS_BULK_MAX_BYTES = int(_env("BOOKINGS_BULK_MAX_BYTES", str(16 * 1024 * 1024)))

# --- Webcare inbox ----------------------------------------------------------------------------
# Inbound messages whose task was lost (or failed) are picked up again within half a minute.
CELERY_BEAT_SCHEDULE["inbox-inbound-sweep"] = {
    "task": "webcare_inbox.tasks.inbound_sweep",
    "schedule": 30.0,
}

# --- Webcare inbox: who answers, and when ---------------------------------------------------------
# A person handed over to the team is told when an answer comes: within these hours the typical
# wait (fixed here, or unset: the median first answer of the last week), outside them when the
# team is back. Checked at start-up (webcare_inbox/checks.py).
WEBCARE_OPENING_HOURS = _env("WEBCARE_OPENING_HOURS", "mo-fr 08:00-20:00; sa-su 09:00-17:00")
WEBCARE_TIMEZONE = _env("WEBCARE_TIMEZONE", "Europe/Amsterdam")
WEBCARE_TYPICAL_WAIT_MINUTES = _env("WEBCARE_TYPICAL_WAIT_MINUTES")

# --- Contact reasons (contact_reasons/, README "Contact reasons") ---------------------------------
# The model learns from the agents' labels; until there are this many (and two reasons with
# CONTACT_REASONS_MIN_PER_REASON each) the inbox says so instead of guessing.
CONTACT_REASONS_MIN_LABELS = int(_env("CONTACT_REASONS_MIN_LABELS", "40"))
CONTACT_REASONS_MIN_PER_REASON = int(_env("CONTACT_REASONS_MIN_PER_REASON", "5"))
# Below this confidence a suggestion is shown as unsure and not counted as the reason.
CONTACT_REASONS_SURE = float(_env("CONTACT_REASONS_SURE", "0.5"))
# No route (admin: Contact reasons › Reason routes) sends a conversation on a lower confidence,
# whatever its own minimum says.
CONTACT_REASONS_ROUTE_FLOOR = float(_env("CONTACT_REASONS_ROUTE_FLOOR", "0.6"))
CELERY_BEAT_SCHEDULE["contact-reasons-retrain"] = {
    "task": "contact_reasons.tasks.model_retrain",
    "schedule": float(_env("CONTACT_REASONS_RETRAIN_SECONDS", "3600")),
}

# --- Update groups ----------------------------------------------------------------------------
# A traveller's relatives follow their trips (update_groups/).
UPDATE_GROUP_MAX_MEMBERS = int(_env("UPDATE_GROUP_MAX_MEMBERS", "25"))
# Wrong follow codes one address may send per hour before its tries are refused for a while.
UPDATE_GROUP_WRONG_CODES_PER_HOUR = int(_env("UPDATE_GROUP_WRONG_CODES_PER_HOUR", "5"))
CELERY_BEAT_SCHEDULE["update-groups-expire"] = {
    "task": "update_groups.tasks.groups_expire",
    "schedule": 3600.0,
}

# --- Webcare inbox: snoozed conversations wake up -------------------------------------------------
CELERY_BEAT_SCHEDULE["inbox-snooze-wake"] = {
    "task": "webcare_inbox.tasks.conversations_wake",
    "schedule": 30.0,
}

# --- Privacy (privacy/, README "Privacy") -------------------------------------------------------
# How long each kind of data is kept, in days (0: for good). The defaults and why are in README.
PRIVACY_RETENTION_DAYS = {
    # Providers' webhook payloads as received (inbound messages, status reports).
    "raw_payloads": int(_env("RETENTION_RAW_PAYLOADS_DAYS", "30")),
    # Status callbacks waiting for a worker (applied and gone within seconds when one runs).
    "status_reports": int(_env("RETENTION_STATUS_REPORTS_DAYS", "7")),
    # What people wrote and the inbox's messages (text, attachments' links, previews).
    "message_text": int(_env("RETENTION_MESSAGE_TEXT_DAYS", "365")),
    # What we sent (a delivery's text and variables); the delivery and its status stay, counted.
    "delivery_text": int(_env("RETENTION_DELIVERY_TEXT_DAYS", "90")),
    # Wrong follow codes per address, kept only to rate-limit guessing.
    "rate_limit_records": int(_env("RETENTION_RATE_LIMIT_DAYS", "7")),
    # Agents' failed sign-ins (django-axes).
    "sign_in_attempts": int(_env("RETENTION_SIGN_IN_ATTEMPTS_DAYS", "30")),
    # A person with no trip and no message for this long is erased altogether.
    "inactive_people": int(_env("RETENTION_INACTIVE_PEOPLE_DAYS", "730")),
}
# The key of the suppression list's hashes; changing it forgets every suppressed address.
PRIVACY_HASH_KEY = _env("PRIVACY_HASH_KEY") or f"suppression:{SECRET_KEY}"
CELERY_BEAT_SCHEDULE["privacy-retention"] = {
    "task": "privacy.tasks.retention_purge",
    "schedule": 3600.0,
}
# Documents (documents/): how long a link works after the trip's arrival, and the 2-D code a
# carrier asks for ("U2=qr,*=pdf417"; a rail ticket defaults to Aztec).
DOCUMENT_LINK_HOURS_AFTER_TRIP = float(_env("DOCUMENT_LINK_HOURS_AFTER_TRIP", "48"))
DOCUMENT_BARCODE_FORMATS = {
    carrier.strip().upper(): chosen.strip().lower()
    for carrier, _, chosen in (
        item.partition("=") for item in _env("DOCUMENT_BARCODE_FORMATS", "*=pdf417").split(",")
    )
    if carrier.strip() and chosen.strip()
}
CELERY_BEAT_SCHEDULE["documents-purge"] = {
    "task": "documents.tasks.documents_purge",
    "schedule": 3600.0,
}


# The trip's own timeline (notifications/services/timeline.py). Check-in opens this many hours
# before departure per carrier code ("KL=30,*=24"); a departure reminder this many hours before
# (0: none); non-urgent messages wait out QUIET_HOURS at the departure airport ("" for none).
def _hours_per_carrier(value: str) -> dict[str, float]:
    hours = {}
    for item in value.split(","):
        carrier, _, number = item.partition("=")
        try:
            hours[carrier.strip().upper()] = float(number)
        except ValueError:
            raise ImproperlyConfigured(
                f"TIMELINE_CHECK_IN_HOURS must be CARRIER=HOURS pairs such as KL=30,*=24, "
                f"not {value!r}"
            ) from None
    return hours


def _quiet_hours(value: str):
    if not value:
        return None
    start, _, end = value.partition("-")
    try:
        return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"QUIET_HOURS must be HH:MM-HH:MM (e.g. 22:00-07:00) or empty, not {value!r}"
        ) from None


TIMELINE_CHECK_IN_HOURS = _hours_per_carrier(_env("TIMELINE_CHECK_IN_HOURS", "KL=30,*=24"))
TIMELINE_REMINDER_HOURS = float(_env("TIMELINE_REMINDER_HOURS", "3"))
QUIET_HOURS = _quiet_hours(_env("QUIET_HOURS", "22:00-07:00"))
TIMELINE_TICK_SECONDS = float(_env("TIMELINE_TICK_SECONDS", "60"))
CELERY_BEAT_SCHEDULE["notifications-timeline"] = {
    "task": "notifications.tasks.timeline_due_send",
    "schedule": TIMELINE_TICK_SECONDS,
}

# --- Insights: the manager's dashboard, surveys in the chat, staged rollout --------------------


def _prices(value: str) -> dict[str, dict[str, float]]:
    """INSIGHTS_MESSAGE_PRICES: "whatsapp.utility=0.0456,whatsapp.service=0,messenger.utility=0"
    → {"whatsapp": {"utility": 0.0456, …}, …}: the price of one sent message per channel and
    category (utility: proactive and template messages; service: answers inside the window)."""
    prices: dict[str, dict[str, float]] = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        try:
            where, price = part.split("=")
            channel, category = where.strip().split(".")
            prices.setdefault(channel, {})[category] = float(price)
        except ValueError:
            raise ImproperlyConfigured(
                "INSIGHTS_MESSAGE_PRICES must be channel.category=price, comma-separated "
                f"(e.g. whatsapp.utility=0.0456), not {part!r}"
            ) from None
    return prices


INSIGHTS_MESSAGE_PRICES = _prices(
    _env(
        "INSIGHTS_MESSAGE_PRICES",
        "whatsapp.utility=0.0456,whatsapp.service=0,messenger.utility=0,messenger.service=0",
    )
)
INSIGHTS_CURRENCY = _env("INSIGHTS_CURRENCY", "EUR")
# Days the periodic rollup recomputes each run (late statuses, replies and answers land there).
INSIGHTS_ROLLUP_DAYS = int(_env("INSIGHTS_ROLLUP_DAYS", "4"))
INSIGHTS_ROLLUP_SECONDS = float(_env("INSIGHTS_ROLLUP_SECONDS", "600"))
# A question the automation missed shows on the dashboard once this many people asked it.
INSIGHTS_MIN_GROUP = int(_env("INSIGHTS_MIN_GROUP", "3"))
# Survey fatigue: no satisfaction question (CSAT, CES, NPS) within this many days of the last;
# the recommendation (NPS) question at most once per INSIGHTS_NPS_MIN_GAP_DAYS.
INSIGHTS_SURVEY_MIN_GAP_DAYS = float(_env("INSIGHTS_SURVEY_MIN_GAP_DAYS", "14"))
INSIGHTS_NPS_MIN_GAP_DAYS = float(_env("INSIGHTS_NPS_MIN_GAP_DAYS", "90"))
INSIGHTS_SURVEY_ANSWER_HOURS = float(_env("INSIGHTS_SURVEY_ANSWER_HOURS", "72"))
# "Did this help?" after an automated answer: at most once in this many hours per person.
INSIGHTS_HELPFUL_MIN_GAP_HOURS = float(_env("INSIGHTS_HELPFUL_MIN_GAP_HOURS", "24"))
# The kinds whose approved WhatsApp Content template carries the chat buttons (twilio/quick-reply,
# or twilio/list-picker in the session; ids as in notifications.catalogue): sent as that template
# in the session. Any other kind goes as text whose wording names what to type. The
# recommendation question's 0-10 fits neither (10 buttons or items at most), so it is typed.
WHATSAPP_QUICK_REPLY_KINDS = frozenset(
    k.strip()
    for k in _env("WHATSAPP_QUICK_REPLY_KINDS", "survey_helpful,survey_ces").split(",")
    if k.strip()
)
# The rollout's guard rails are measured over this many hours, checked every ..._CHECK_SECONDS.
INSIGHTS_GUARD_WINDOW_HOURS = float(_env("INSIGHTS_GUARD_WINDOW_HOURS", "24"))
INSIGHTS_ROLLOUT_CHECK_SECONDS = float(_env("INSIGHTS_ROLLOUT_CHECK_SECONDS", "900"))
CELERY_BEAT_SCHEDULE["insights-rollup"] = {
    "task": "insights.tasks.rollup_refresh",
    "schedule": INSIGHTS_ROLLUP_SECONDS,
}
CELERY_BEAT_SCHEDULE["insights-rollout-check"] = {
    "task": "insights.tasks.rollout_check",
    "schedule": INSIGHTS_ROLLOUT_CHECK_SECONDS,
}
# Managers hear by e-mail when a rollout pauses itself; without an SMTP host it is logged.
EMAIL_BACKEND = _env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if _env("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = _env("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = _env("DEFAULT_FROM_EMAIL", "thuisfront@localhost")
