#!/usr/bin/env bash
# Installs the Debian packages the tests use (a real mosquitto broker, Chromium for UI tests,
# iproute2 and avahi for mDNS tests between network namespaces) when any of them is missing.
set -euo pipefail

packages=(mosquitto mosquitto-clients chromium iproute2 avahi-daemon avahi-utils dbus)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "Missing packages ${missing[*]} and no apt-get: install them with your package manager." >&2
  exit 1
fi
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "Installing ${missing[*]} with apt-get"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
