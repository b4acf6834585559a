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
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
}
# Consumer tests run in one process; multi-process tests start daphne with REDIS_URL themselves.
CHANNEL_LAYERS = {"default": {"BACKEND": "realtime.layers.InMemoryChannelLayer"}}
SCHEDULER_IN_PROCESS = False
USE_HTTPS = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
