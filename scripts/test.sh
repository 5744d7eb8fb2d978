#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs (npm packages, the Locust
# venv, pytest, a FerretDB build), then runs the Python plugin tests and the TypeScript suite
# (unit, store contract against SQLite and FerretDB/MongoDB, end-to-end with real Locust,
# Swagger UI in headless Chromium).
#
#   LOADCTL_TEST_MONGODB_URI=mongodb://…  run the MongoDB tests against a real MongoDB instead
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
step() { printf '\n== %s\n' "$*"; }
started=$(date +%s)

# better-sqlite3 builds from source when no prebuilt binary can be downloaded; node-gyp then
# needs Node's headers, which Debian's nodejs ships under /usr/include/node.
if [[ -z "${npm_config_nodedir:-}" && -f /usr/include/node/node.h ]]; then
  export npm_config_nodedir=/usr
fi

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

step "build"
npm run --silent build

# The same venv `loadctl setup` makes for users, kept inside the checkout for the tests.
runtime_dir="$root/.cache/test-runtime"
step "Locust runtime ($runtime_dir)"
node bin/loadctl setup --data-dir "$runtime_dir"
venv="$runtime_dir/venv"
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r test/locust/requirements.txt

if [[ -z "${LOADCTL_TEST_MONGODB_URI:-}" ]]; then
  step "FerretDB for the MongoDB tests"
  scripts/build-ferretdb.sh
fi

# Debian packages some tests need, installed when missing (sudo unless root).
apt_install() {
  local sudo_cmd=""
  [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get install -y --no-install-recommends "$1" >/dev/null \
    || { $sudo_cmd apt-get update >/dev/null && $sudo_cmd apt-get install -y --no-install-recommends "$1" >/dev/null; }
}

if [[ -z "${LOADCTL_CHROMIUM:-}" ]] && [[ ! -x /usr/bin/chromium ]]; then
  step "Chromium for the browser tests (Debian's chromium package)"
  apt_install chromium
fi

if ! command -v tmux >/dev/null; then
  step "tmux for the live-table test in a real 80x24 terminal (Debian's tmux package)"
  apt_install tmux
fi

if ! command -v ip >/dev/null; then
  step "iproute2 for the remote-worker test in network namespaces (Debian's iproute2 package)"
  apt_install iproute2
fi
# test/e2e/remote-worker-netns.test.ts creates network namespaces: it needs root (or CAP_NET_ADMIN)
if [[ $(id -u) -ne 0 ]]; then
  echo "warning: not root; test/e2e/remote-worker-netns.test.ts will fail (ip netns add needs root)" >&2
fi

export LOADCTL_LOCUST="$venv/bin/locust"
export LOADCTL_TEST_PYTHON="$venv/bin/python"
export LOADCTL_FERRETDB_BIN="$root/.cache/bin/ferretdb-test"

step "typecheck"
npx tsc -p tsconfig.json --noEmit

step "plugin tests (pytest, real Locust)"
"$venv/bin/python" -m pytest test/locust -q -p no:cacheprovider

step "TypeScript suite (vitest)"
npx vitest run "$@"

echo "suite finished in $(($(date +%s) - started))s"
