#!/usr/bin/env bash
# Compile the catalogs: django.mo for Django and our own loader, text.mo where the LMS's XBlock
# i18n service looks (translations/ is a link to conf/locale).
set -euo pipefail
cd "$(dirname "$0")/../xblocks/vn_online_teaching/conf/locale"
command -v msgfmt >/dev/null 2>&1 || bash ../../../../scripts/system-deps.sh
for po in */LC_MESSAGES/django.po; do
  dir=$(dirname "$po")
  msgfmt --check-format -o "$dir/django.mo" "$po"
  cp "$dir/django.mo" "$dir/text.mo"
done
