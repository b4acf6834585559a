"""Settings for the test suite: the real settings, with a throwaway cache namespace in Redis."""

import os
import uuid

os.environ["DISTOKOLOSHE_TESTING"] = "1"
# The developer's own .env (debug, ports, secrets) must not leak into tests.
os.environ["DISTOKOLOSHE_ENV_FILE"] = os.devnull
os.environ.setdefault("REDIS_URL", os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))

from .settings import *  # noqa: F403

# Rate limits are counted in Redis, as in production; each run gets its own key space so
# parallel runs and earlier runs never share counters.
_RUN = f"test-{uuid.uuid4().hex}"
CACHES = {
    "default": {
        "BACKEND": "core.cache.FallbackRedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": _RUN,
        "OPTIONS": REDIS_CACHE_OPTIONS,  # noqa: F405
    }
}
# Consumer tests run in one process, so events go straight to its sockets as on a laptop;
# tests of the Redis hand-off set REDIS_URL themselves, on this run's own channel.
REDIS_URL = ""
REALTIME_REDIS_CHANNEL = f"{_RUN}:events"
SCHEDULER_IN_PROCESS = False
USE_HTTPS = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
