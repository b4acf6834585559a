#!/bin/sh
# The app container's start: bring the schema up to date, write LiveKit's config from this same
# environment (so keys and webhook can never disagree), then serve. Running on every start makes
# an upgrade `docker compose build && docker compose up -d`, nothing more.
set -eu
cd "$(dirname "$0")/.."
python manage.py migrate --noinput
python manage.py write_livekit_config --output "${LIVEKIT_CONFIG_FILE:-/livekit/livekit.yaml}"
exec python -m distokoloshe.serve --host "${APP_BIND:-0.0.0.0}" --port "${APP_PORT:-8000}"
