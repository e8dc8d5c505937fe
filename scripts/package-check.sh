#!/usr/bin/env bash
# Packages the app offline into release/linux-unpacked and checks what app.asar contains.
# electron-builder cannot download Electron here, so a stand-in executable named `electron`
# takes its place: the check covers the `files` and asar configuration, not a runnable app.
set -euo pipefail
cd "$(dirname "$0")/.."

entry=$(node -p 'require("./package.json").main')
for required in "$entry" dist/renderer/index.html; do
  if [[ ! -f "$required" ]]; then
    echo "package-check: $required is missing; run npm run build:app and the renderer build first" >&2
    exit 2
  fi
done

stand_in=$(mktemp -d)
trap 'rm -rf "$stand_in"' EXIT
printf '#!/bin/sh\nexit 0\n' >"$stand_in/electron"
chmod +x "$stand_in/electron"

rm -rf release/linux-unpacked
npx electron-builder --linux dir --config electron-builder.yml \
  -c.electronDist="$stand_in" -c.electronVersion=41.7.1 --publish never

asar=release/linux-unpacked/resources/app.asar
[[ -f "$asar" ]] || { echo "package-check: $asar was not written" >&2; exit 1; }
listing=$(npx asar list "$asar")
for expected in "/$entry" /dist/app/main/app/preload.cjs /dist/renderer/index.html /resources/tray-idle-light@2x.png; do
  grep -qxF "$expected" <<<"$listing" || { echo "package-check: $asar lacks $expected" >&2; exit 1; }
done
if grep -q '\.test\.js$' <<<"$listing"; then
  echo "package-check: $asar contains test files" >&2
  exit 1
fi
echo "package-check: $asar contains the main entry, the preload and the renderer"
