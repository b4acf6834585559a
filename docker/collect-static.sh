#!/bin/sh
# Collects static files with the production storage (hashed names, compressed copies), as the
# image build does. Settings refuse to load without secrets; these placeholders exist for this
# one command only and never reach the image's environment (the real ones come from .env).
set -eu
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
env \
  DISTOKOLOSHE_ENV_FILE=/dev/null \
  DJANGO_DEBUG=0 \
  DISTOKOLOSHE_TESTING=0 \
  DJANGO_SECRET_KEY=collectstatic-only-placeholder \
  JWT_SECRET=collectstatic-only-placeholder \
  E2EE_SECRET=collectstatic-only-placeholder \
  LIVEKIT_API_KEY=collectstatic-only-placeholder \
  LIVEKIT_API_SECRET=collectstatic-only-placeholder \
  DATABASE_URL="sqlite:///$scratch/unused.sqlite3" \
  REDIS_URL= \
  DATA_DIR="$scratch" \
  "${PYTHON:-python}" manage.py collectstatic --noinput --verbosity 1
