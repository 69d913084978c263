#!/usr/bin/env bash
# `npm test`: the three suites, each run even if an earlier one failed; fails if any failed.
#   1. unit         mocha in plain Node, for src/core
#   2. integration  mocha inside the real VS Code extension host (code-server's VS Code server)
#   3. e2e          Playwright + Debian Chromium against code-server with the packaged .vsix
set -uo pipefail
cd "$(dirname "$0")/.."

# Installs (once, cached) what suites 2 and 3 need; a clear message and a failure if it cannot.
bash scripts/setup-test-env.sh >/dev/null || { echo "test setup failed: see the message above" >&2; exit 1; }
npm run --silent typecheck || { echo "type check failed" >&2; exit 1; }

failed=()
for suite in unit integration e2e; do
  echo "=== $suite ==="
  if ! npm run --silent "test:$suite"; then
    failed+=("$suite")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED suites: ${failed[*]}" >&2
  exit 1
fi
echo "all three suites passed"
