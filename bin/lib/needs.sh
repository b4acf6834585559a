# Sourced by bin/dev and bin/check: make sure what they need is installed, installing it with
# apt-get when we are root on Debian, and otherwise stopping with one line that says exactly
# what to run.

# need_command <command> <what to say>: stops unless <command> is on PATH.
need_command() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "Missing $1: $2" >&2
  exit 1
}

# need_python: Python 3.11 or newer as python3.
need_python() {
  need_command python3 "install Python 3.11 or newer (Debian: apt-get install -y python3 python3-venv)"
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && return 0
  echo "Missing Python 3.11 or newer: python3 is $(python3 --version 2>&1)" >&2
  exit 1
}

# need_packages <package:probe>...: each Debian package whose probe (a command name, or a path
# glob starting with /) is absent gets installed, in one apt-get run.
need_packages() {
  local wanted=() entry package probe
  for entry in "$@"; do
    package=${entry%%:*}
    probe=${entry#*:}
    if [[ $probe == /* ]]; then
      compgen -G "$probe" >/dev/null && continue
    else
      command -v "$probe" >/dev/null 2>&1 && continue
    fi
    wanted+=("$package")
  done
  [ ${#wanted[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${wanted[*]} (apt-get)…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
    return 0
  fi
  echo "Missing ${wanted[*]}: run sudo apt-get install -y --no-install-recommends ${wanted[*]}" >&2
  exit 1
}

# python_env <requirements file>: .venv with these requirements.
python_env() {
  need_python
  [ -x .venv/bin/pip ] || python3 -m venv .venv 2>/dev/null || {
    echo "Missing the venv module: run sudo apt-get install -y python3-venv" >&2
    exit 1
  }
  .venv/bin/pip install -q --disable-pip-version-check -r "$1"
}

# node_modules: the browser's packages, pinned in package-lock.json.
node_modules() {
  need_command npm "install Node.js 20 with npm (Debian: apt-get install -y nodejs npm)"
  npm ci --silent --no-audit --no-fund
}
