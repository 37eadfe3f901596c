#!/usr/bin/env bash
# Installs what the course needs on a Debian/Ubuntu machine: bubblewrap, which jails students'
# kernels during grading; Chromium, which the browser test drives; and requirements.txt.
set -euo pipefail
cd "$(dirname "$0")"
missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python -m pip install -q -r requirements.txt
