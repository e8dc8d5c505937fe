#!/usr/bin/env bash
# The full check: system packages, lint and formatting, type check, and every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-packages.sh
echo '== lint'
npm run --silent lint
echo '== typecheck'
npm run --silent typecheck
echo '== tests'
npm test
