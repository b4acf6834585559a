#!/bin/sh
# Runs LiveKit from the config the app wrote. LiveKit reads its config and its TURN/TLS
# certificate once, at start: this waits until both exist (Caddy obtains the certificate on its
# first start), and exits as soon as either changes (the app rewrote the config, Caddy renewed the
# certificate) so the restart policy starts LiveKit again with the new files.
set -eu
config="${LIVEKIT_CONFIG_FILE:-/etc/livekit/livekit.yaml}"
server="${LIVEKIT_SERVER:-/livekit-server}"
poll="${LIVEKIT_WATCH_SECONDS:-60}"
step="${LIVEKIT_WAIT_SECONDS:-3}"

until [ -s "$config" ]; do
  echo "livekit: waiting for $config (written by the app container)"
  sleep "$step"
done

# write_livekit_config writes these as plain `cert_file: /path` lines.
cert=$(sed -n 's/^ *cert_file: *//p' "$config")
key=$(sed -n 's/^ *key_file: *//p' "$config")
if [ -n "$cert" ]; then
  until [ -s "$cert" ] && [ -s "$key" ]; do
    echo "livekit: waiting for Caddy's certificate $cert (check DNS and 'docker compose logs caddy')"
    sleep "$step"
  done
fi

fingerprint() {
  cat "$config" ${cert:+"$cert"} 2>/dev/null | cksum
}

started=$(fingerprint)
"$server" --config "$config" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' TERM INT

while kill -0 "$pid" 2>/dev/null; do
  # Sleeping in the background keeps the TERM trap responsive during `docker compose stop`.
  sleep "$poll" &
  wait $! || true
  if kill -0 "$pid" 2>/dev/null && [ "$(fingerprint)" != "$started" ]; then
    echo "livekit: config or certificate changed; restarting"
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" || true
    exit 0
  fi
done
status=0
wait "$pid" || status=$?
exit "$status"
