#!/usr/bin/env bash
# Install what the tests need from Debian's packages: Chromium and its driver (browser tests),
# MariaDB (the MariaDB tier) and gettext (catalog compilation). Only what is missing is installed.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
fc-list 2>/dev/null | grep -qi "noto\|dejavu" || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "!! Missing system packages (${need[*]}) and not root: install them, or the tiers that need them are skipped." >&2
    exit 0
  fi
else SUDO=""; fi
echo "Installing system packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
