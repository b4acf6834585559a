# Sourced by bin/dev and bin/check: the LiveKit server (the SFU), built from the Go module pinned
# in tools/livekit (go.mod + go.sum) into .cache/livekit/livekit-server. It is rebuilt only when
# missing or of another version than go.mod names.

LIVEKIT_BIN="$PWD/.cache/livekit/livekit-server"

# livekit_version: the version tools/livekit/go.mod pins, e.g. 1.13.5.
livekit_version() {
  sed -n 's#^[[:space:]]*github.com/livekit/livekit-server v\([^ ]*\).*#\1#p' tools/livekit/go.mod
}

# livekit_ready: whether the built server is the pinned version.
livekit_ready() {
  [ -x "$LIVEKIT_BIN" ] && [ "$("$LIVEKIT_BIN" --version 2>/dev/null)" = "livekit-server version $(livekit_version)" ]
}

# livekit_build: builds the server unless it is ready. Fails (status 1) with one line when Go is
# missing.
livekit_build() {
  livekit_ready && return 0
  if ! command -v go >/dev/null 2>&1; then
    echo "Missing Go 1.26 or newer (to build the LiveKit server): install it from https://go.dev/dl/" >&2
    return 1
  fi
  echo "Building the LiveKit server $(livekit_version) (once; a few minutes)…" >&2
  mkdir -p "$(dirname "$LIVEKIT_BIN")"
  # CGO off: a static binary, no C toolchain needed. -trimpath: the same bytes on every machine.
  (cd tools/livekit && CGO_ENABLED=0 go build -trimpath -o "$LIVEKIT_BIN" github.com/livekit/livekit-server/cmd/server)
}
