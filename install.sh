#!/usr/bin/env bash
# Installs what the course needs on a Debian/Ubuntu machine: bubblewrap, which jails students'
# kernels during grading, and the Python packages of requirements.txt.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v bwrap >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq bubblewrap >/dev/null
fi
python -m pip install -q -r requirements.txt
