#!/usr/bin/env bash
# The full check: system packages, lint and formatting, type check, and every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-packages.sh
echo '== lint'
npm run --silent lint
echo '== typecheck'
npm run --silent typecheck
echo '== build'
npm run --silent build
npm run --silent build:app
npm run --silent build:ui >/dev/null
echo '== tests'
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
npx vitest run --reporter=default --reporter=json --outputFile="$report" || status=$?
# A closing line in the plain "N passed, N failed, N skipped" form, counted from vitest's report.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$report" || true
exit "$status"
