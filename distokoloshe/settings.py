"""Settings for disTokoloshe, read from the environment (and `.env`).

Every variable is listed in `.env.example`. With DJANGO_DEBUG off, a missing secret is an
ImproperlyConfigured error rather than a silent default.
"""

import sys
from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

# The admin and other Django classes are generic to mypy; this lets them be subscripted at run
# time too (`admin.ModelAdmin[User]`), instead of a type-checking-only alias in every admin.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(env.str("DISTOKOLOSHE_ENV_FILE", default=str(BASE_DIR / ".env")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
TESTING = env.bool("DISTOKOLOSHE_TESTING", default=False)
# `manage.py init_secrets` writes the secrets, so it must start without them.
_WRITING_SECRETS = sys.argv[1:2] == ["init_secrets"]

# Development secrets only exist so that `DEBUG=1` runs out of the box; production must set its own.
_DEV_SECRETS = {
    "DJANGO_SECRET_KEY": "dev-insecure-django-secret-key-change-me-0123456789abcdef",
    "JWT_SECRET": "dev-insecure-jwt-secret-change-me-0123456789abcdef",
    "E2EE_SECRET": "dev-insecure-e2ee-secret-change-me-0123456789abcdef",
    "LIVEKIT_API_KEY": "devkey",
    # LiveKit refuses secrets under 32 characters.
    "LIVEKIT_API_SECRET": "dev-insecure-livekit-secret-change-me-0123456789",
}


def _secret(name: str) -> str:
    value: str = env.str(name, default="")
    if value:
        return value
    if DEBUG or TESTING or _WRITING_SECRETS:
        return _DEV_SECRETS[name]
    raise ImproperlyConfigured(f"Missing required environment variable: {name}")


SECRET_KEY = _secret("DJANGO_SECRET_KEY")
JWT_SECRET = _secret("JWT_SECRET")
# 1.x fell back to JWT_SECRET here; one secret must not both sign logins and derive media keys.
E2EE_SECRET = _secret("E2EE_SECRET")
LIVEKIT_API_KEY = _secret("LIVEKIT_API_KEY")
LIVEKIT_API_SECRET = _secret("LIVEKIT_API_SECRET")
LIVEKIT_URL = env.str("LIVEKIT_URL", default="http://127.0.0.1:7880")
LIVEKIT_PUBLIC_URL = env.str("LIVEKIT_PUBLIC_URL", default="/livekit/")
# Whether the app itself answers /livekit/ by passing it to LIVEKIT_URL (./bin/dev, where no
# reverse proxy does). Production leaves it to Caddy.
LIVEKIT_PROXY = env.bool("LIVEKIT_PROXY", default=False)
LIVEKIT_TOKEN_TTL = timedelta(seconds=env.int("LIVEKIT_TOKEN_TTL_SECONDS", default=600))
SERVER_CITY = env.str("SERVER_CITY", default="") or None

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Peers whose X-Forwarded-For is believed (the reverse proxy). Everyone else is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

INSTALLED_APPS = [
    # Ahead of django.contrib.auth so that its `createsuperuser` (display name defaults to the
    # username) is the one manage.py runs.
    "accounts",
    # The admin whose sign-in has the API login's limits (accounts.admin_site).
    "accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    "core",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    # Ours, bottom to top: realtime, accounts (listed first, above), audit, sfu, rooms,
    # moderation, chat and soundboard (side by side), music, presence, web. Each imports only
    # those below it (the import contract in pyproject.toml).
    "realtime",
    "audit",
    "sfu",
    "rooms",
    "moderation",
    "chat",
    "soundboard",
    "music",
    "presence",
    "web",
]

MIDDLEWARE = [
    "core.middleware.BodySizeLimitMiddleware",
    "core.middleware.ApiTrailingSlashMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.security.PageCSPMiddleware",
    "core.middleware.ApiErrorMiddleware",
]

ROOT_URLCONF = "distokoloshe.urls"
ASGI_APPLICATION = "distokoloshe.asgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / "data")))
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'distokoloshe.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Django's SQLite backend, with a process's writers queued in Python (see core/sqlite).
    DATABASES["default"]["ENGINE"] = "core.sqlite"
    # Each request thread keeps its connection (core.handlers), so the PRAGMAs below run once
    # per thread, not once per request.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN, so two
    # writers queue on busy_timeout instead of failing with "database is locked" mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
            ),
        }
    )
else:
    # Under ASGI each request may run on a thread of its own, so a persistent connection per
    # thread leaked until PostgreSQL refused new clients; a pool per process bounds them.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "pool",
        {"min_size": 2, "max_size": env.int("DATABASE_POOL_SIZE", default=20), "timeout": 10},
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and shared cache ------------------------------------------------------
# Usernames are unique case-insensitively (a functional constraint), which auth's check misses.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="distokoloshe")
# The one pub/sub channel that carries every event between processes (realtime.hub).
REALTIME_REDIS_CHANNEL = f"{CACHE_KEY_PREFIX}:events"
# Realtime events reach other processes through one Redis pub/sub channel (realtime.hub), not
# through a Channels layer, so no CHANNEL_LAYERS is configured.
# The cache only counts (rate limits, sign-in failures): while Redis is unreachable it counts in
# each process's memory (core.cache), and the timeouts keep a hung Redis from holding requests.
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # One process without Redis: a local-memory counter is exact, so the check that guards
    # multi-process deployments does not apply.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]


# --- Auth ---------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = ["accounts.backends.UsernameBackend"]
JWT_LIFETIME = timedelta(days=7)
# The 1.x bearer token through djangorestframework-simplejwt: HS256 with JWT_SECRET, the user id
# in `sub`, and no `token_type` or `jti` claims, which 1.x tokens do not have (accounts/tokens.py).
SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SECRET,
    "ACCESS_TOKEN_LIFETIME": JWT_LIFETIME,
    "LEEWAY": 0,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "sub",
    "TOKEN_TYPE_CLAIM": None,
    "JTI_CLAIM": None,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "AUTH_TOKEN_CLASSES": ("accounts.tokens.BearerToken",),
}
SESSION_COOKIE_AGE = int(timedelta(days=30).total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)


def _rate(value: str) -> tuple[int, int]:
    # "5/10m" is (5, 600): a count per window of seconds (s), minutes (m) or hours (h); "0" is
    # no limit. Read by core.rates.rate_hit.
    count, _, window = value.strip().partition("/")
    if not window:
        if int(count) != 0:
            raise ImproperlyConfigured(f"Rate {value!r} needs a window, e.g. 5/10m")
        return 0, 1
    unit = window[-1] if window[-1] in "smh" else "s"
    amount = window.rstrip("smh") or "1"
    seconds = int(amount) * {"s": 1, "m": 60, "h": 3600}[unit]
    if int(count) < 0 or seconds <= 0:
        raise ImproperlyConfigured(f"Rate {value!r} must be a count and a positive window")
    return int(count), seconds


# Accounts created per client address (IPv6: per /64) and window; failed attempts do not count,
# so a household or a club behind one router can sign up together (accounts.ratelimits).
REGISTER_RATE = _rate(env.str("REGISTER_RATE", default="10/h"))

# Per-account limits on what one account can make everyone else see (staff are exempt from
# the room limits): rooms it may have at once and how fast it may create them; how often it
# may start a vote; how often it may join a room. None of them bothers a person using the UI.
ROOMS_PER_USER = env.int("ROOMS_PER_USER", default=10)
ROOM_CREATE_RATE = _rate(env.str("ROOM_CREATE_RATE", default="5/10m"))
VOTE_START_RATE = _rate(env.str("VOTE_START_RATE", default="5/m"))
ROOM_JOIN_RATE = _rate(env.str("ROOM_JOIN_RATE", default="20/10s"))

# Threads that run requests' synchronous parts (views, the ORM), each keeping its database
# connection; a request waits when all are busy (core.handlers).
REQUEST_THREADS = env.int("REQUEST_THREADS", default=8)

# --- Realtime -----------------------------------------------------------------------------------
PRESENCE_MAX_PER_USER = env.int("PRESENCE_MAX_PER_USER", default=3)
PRESENCE_MAX_TOTAL = env.int("PRESENCE_MAX_TOTAL", default=500)
# How long a user stays online and in their room after their last connection goes: the long
# grace when their client was heard from within PRESENCE_PING_FRESH_SECONDS (a reload or a
# reconnect), else the short one (never longer than the long one); 2.x's 15, 2 and 10.
PRESENCE_GRACE_SECONDS = env.float("PRESENCE_GRACE_SECONDS", default=15.0)
PRESENCE_SHORT_GRACE_SECONDS = env.float("PRESENCE_SHORT_GRACE_SECONDS", default=2.0)
PRESENCE_PING_FRESH_SECONDS = env.float("PRESENCE_PING_FRESH_SECONDS", default=10.0)
# How long a member with no connection of their own keeps their room: one who joined through
# the API, or before their event stream (re)connected, as 2.x clients do after a drop.
PRESENCE_UNCONNECTED_MEMBER_SECONDS = env.float(
    "PRESENCE_UNCONNECTED_MEMBER_SECONDS", default=PRESENCE_GRACE_SECONDS
)
PRESENCE_HEARTBEAT_SECONDS = env.float("PRESENCE_HEARTBEAT_SECONDS", default=30.0)
PRESENCE_REAP_AFTER_SECONDS = env.float("PRESENCE_REAP_AFTER_SECONDS", default=75.0)
SSE_PING_SECONDS = env.float("SSE_PING_SECONDS", default=30.0)
WS_PING_SECONDS = env.float("WS_PING_SECONDS", default=30.0)
# The deadline scheduler runs inside each app process unless an operator runs `run_scheduler`.
SCHEDULER_IN_PROCESS = env.bool("SCHEDULER_IN_PROCESS", default=True)
SCHEDULER_TICK_SECONDS = env.float("SCHEDULER_TICK_SECONDS", default=0.25)
# Every job of the deadline scheduler, called as job(now=...) each tick; each claims what is
# due with a conditional write, so any number of schedulers fire each deadline once.
SCHEDULER_JOBS: list[str] = [
    # Reaps the connections of dead processes, ends expired presence grace periods.
    "presence.services.connections.presence_sweep",
    # Resolves votes past their 30 s window.
    "moderation.services.votes.votes_resolve_due",
    # Ends punishments past their end.
    "moderation.services.punishments.punishments_expire_due",
    # Makes the room-service calls owed to LiveKit (kicks, whispers subscriptions).
    "sfu.outbox.actions_run_due",
    # Deletes chat lines and images past their retention (at most once a minute).
    "chat.services.retention.chat_purge_due",
]
# Checks every room join must pass, each called as guard(user=..., room=...) and raising an
# ApiError to refuse: rules of apps above rooms, which rooms cannot import.
ROOM_JOIN_GUARDS: list[str] = [
    # A jailed user may join only their jail room.
    "moderation.services.punishments.punishment_join_guard",
]
# Steps every room deletion takes first, each called as step(room_ids=..., actor=...) inside
# its transaction: rules of apps above rooms. A deleted room's votes fail and its punishments
# are lifted by whoever deletes it; their records stay, under the room's name.
ROOM_DELETE_STEPS: list[str] = [
    "moderation.services.votes.votes_end_with_rooms",
    "moderation.services.punishments.punishments_end_with_rooms",
]
# Set in the scheduler's container: its health check reads this file's age.
SCHEDULER_HEARTBEAT_FILE = env.str("SCHEDULER_HEARTBEAT_FILE", default="")
if SCHEDULER_HEARTBEAT_FILE:
    SCHEDULER_JOBS.append("core.heartbeat.scheduler_heartbeat")

# --- Chat ---------------------------------------------------------------------------------------
# How long chat lines and chat images are kept (2.x kept nothing; images 60 s in memory).
CHAT_TEXT_RETENTION = timedelta(days=env.float("CHAT_TEXT_RETENTION_DAYS", default=30))
CHAT_IMAGE_RETENTION = timedelta(hours=env.float("CHAT_IMAGE_RETENTION_HOURS", default=24))
# 2.x's limit on an uploaded image (its message said 500 KB; the limit was 10 MiB).
CHAT_IMAGE_MAX_BYTES = 10 * 1024 * 1024
# Decoded size, over every frame of an animation: bounds the memory one upload can take.
CHAT_IMAGE_MAX_PIXELS = env.int("CHAT_IMAGE_MAX_PIXELS", default=40_000_000)
CHAT_PURGE_INTERVAL_SECONDS = 60.0

# --- Soundboard ---------------------------------------------------------------------------------
# 2.x's limits: an upload of at most 15 MiB, 100 clips per user, 10 s a clip (2.x checked the
# length only in its client; here ffmpeg decodes every upload).
SOUNDBOARD_UPLOAD_MAX_BYTES = 15 * 1024 * 1024
SOUNDBOARD_MAX_SECONDS = 10.0
SOUNDBOARD_CLIPS_PER_USER = env.int("SOUNDBOARD_CLIPS_PER_USER", default=100)
# Stored bytes per user (clips are kept as Opus, about 80 kB for 10 s).
SOUNDBOARD_BYTES_PER_USER = env.int("SOUNDBOARD_BYTES_PER_USER", default=10 * 1024 * 1024)
SOUNDBOARD_PLAY_RATE = _rate(env.str("SOUNDBOARD_PLAY_RATE", default="10/m"))
SOUNDBOARD_UPLOAD_RATE = _rate(env.str("SOUNDBOARD_UPLOAD_RATE", default="10/m"))
# ffmpeg runs per upload: at most this many at once per process, each for at most this long.
SOUNDBOARD_TRANSCODE_SLOTS = env.int("SOUNDBOARD_TRANSCODE_SLOTS", default=2)
SOUNDBOARD_TRANSCODE_TIMEOUT = 30.0
# --- Music (DJ Tokoloshe) -----------------------------------------------------------------------
# An audio file queued from a page; ffprobe must find audio in it.
MUSIC_UPLOAD_MAX_MB = env.int("MUSIC_UPLOAD_MAX_MB", default=50)
# How often `run_dj` reads what each room's player should do (the web processes publish changes
# to pages at once; this bounds how late the bot follows them).
MUSIC_POLL_SECONDS = env.float("MUSIC_POLL_SECONDS", default=0.25)
# A file `run_dj` touches after each read of the players, for health checks.
MUSIC_HEARTBEAT_FILE = env.str("MUSIC_HEARTBEAT_FILE", default="")
# The DJ inside the app process instead of `run_dj`: for a single process without Redis (a
# laptop's `./bin/dev`), where run_dj's events could not reach the pages.
MUSIC_IN_PROCESS = env.bool("MUSIC_IN_PROCESS", default=False)

# --- API ----------------------------------------------------------------------------------------
APPEND_SLASH = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024
REQUEST_BODY_LIMIT = 16 * 1024
# Routes whose bodies may be larger than REQUEST_BODY_LIMIT: path -> (bytes, the 413 message).
# A chat image may be 10 MiB; the multipart framing around it gets 64 KiB more.
REQUEST_BODY_LIMITS: dict[str, tuple[int, str]] = {
    "/api/chat/image": (CHAT_IMAGE_MAX_BYTES + 64 * 1024, "Image too large (max 10 MB)"),
    # Refused before a byte is read or decoded, with 2.x's message.
    "/api/soundboard": (SOUNDBOARD_UPLOAD_MAX_BYTES + 64 * 1024, "File too large (max 15MB)"),
    "/api/music/upload": (
        MUSIC_UPLOAD_MAX_MB * 1024 * 1024 + 64 * 1024,
        f"File too large (max {MUSIC_UPLOAD_MAX_MB} MB)",
    ),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.BearerAuthentication",
        "accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["core.renderers.CompactJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.parsers.LenientJSONParser"],
    "EXCEPTION_HANDLER": "core.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "disTokoloshe API",
    "DESCRIPTION": "Accounts, rooms, presence, moderation, chat, the soundboard and music for "
    "disTokoloshe, wire-compatible with 1.x clients (and with 2.x clients for chat, the "
    "soundboard and music).",
    "VERSION": "2.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two `mode` fields with different choices: a room's and a music player's.
    "ENUM_NAME_OVERRIDES": {
        "RoomModeEnum": ["normal", "whispers"],
        "MusicModeEnum": ["radio", "queue", "external"],
    },
}

# The 1.x desktop app (Tauri) is the only cross-origin client.
CORS_ALLOWED_ORIGINS = [
    "tauri://localhost",
    "http://tauri.localhost",
    "https://tauri.localhost",
    "http://localhost:1420",
]
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "POST", "PUT", "DELETE", "OPTIONS"]
CORS_ALLOW_HEADERS = ["authorization", "content-type"]

# --- Security headers ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(self), microphone=(self), display-capture=(self), geolocation=()"
USE_HTTPS = env.bool("DJANGO_USE_HTTPS", default=not DEBUG)
if USE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=True)
    # Health checks and LiveKit's webhook arrive over loopback HTTP, not through the proxy.
    SECURE_REDIRECT_EXEMPT = [r"^api/health$", r"^api/livekit/webhook$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True


def _livekit_origins() -> list[str]:
    # The browser must reach LiveKit. A relative wsUrl is our own host over WebSocket, which
    # older browsers do not count as 'self', so the site's own wss:// origins are named.
    url = LIVEKIT_PUBLIC_URL
    if url.startswith(("ws://", "wss://", "http://", "https://")):
        scheme, rest = url.split("://", 1)
        host = rest.split("/", 1)[0]
        secure = scheme in ("wss", "https")
        return [
            f"{'wss' if secure else 'ws'}://{host}",
            f"{'https' if secure else 'http'}://{host}",
        ]
    return [
        origin.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
        for origin in CSRF_TRUSTED_ORIGINS
        if origin.startswith(("https://", "http://"))
    ]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # 'wasm-unsafe-eval': the noise suppressor compiles its WASM in an AudioWorklet
        # (Chromium asks for it there); it allows WebAssembly only, never eval() of scripts.
        "script-src": ["'self'", "'wasm-unsafe-eval'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'", "ws:", "wss:"] if DEBUG else ["'self'", *_livekit_origins()],
        "worker-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# --- Static files, templates, i18n --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# livekit-client (and its E2EE worker) and the noise suppressor's worklets and WASM are served
# from the npm packages pinned in package-lock.json.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/livekit-client", BASE_DIR / "node_modules" / "livekit-client" / "dist"),
    (
        "vendor/web-noise-suppressor",
        BASE_DIR / "node_modules" / "@sapphi-red" / "web-noise-suppressor" / "dist",
    ),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Chat images, as re-encoded files under DATA_DIR; served only by the chat API, never as
    # static or media files.
    "chat_images": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "chat-images")},
    },
    # Soundboard clips (Ogg Opus files) under DATA_DIR, or SOUNDBOARD_DIR; served only by the
    # soundboard API. Any Django storage backend will do (e.g. django-storages' S3).
    "soundboard": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.str("SOUNDBOARD_DIR", default=str(DATA_DIR / "soundboard"))},
    },
    # Audio files queued for DJ Tokoloshe until they have played; read by `run_dj`, which
    # shares DATA_DIR (and the database) with the web processes.
    "music_uploads": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "music-uploads")},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MIMETYPES = {".mjs": "text/javascript", ".js": "text/javascript"}

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # One line per record: user data in a message cannot forge another (core.logs).
        "plain": {
            "()": "core.logs.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    # The server logs request lines with their query strings and, at DEBUG, handshake headers;
    # ?token=, Authorization and cookies must never reach a log.
    "filters": {"redact_tokens": {"()": "presence.redaction.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "uvicorn.access": {"filters": ["redact_tokens"]},
        "uvicorn.error": {"filters": ["redact_tokens"]},
        # Django's defaults give these handlers of their own, which would bypass the formatter;
        # without them they write through the root's handler like every other logger.
        "django": {"level": "INFO", "handlers": [], "propagate": True},
        "django.server": {"level": "INFO", "handlers": [], "propagate": True},
    },
}
