#!/usr/bin/env bash
# Installs what the course needs on a Debian or Ubuntu machine that has only the distribution's
# python3 and pip: the Debian packages bubblewrap (jails students' kernels during grading) and
# chromium (the browser tests) and, when the distribution's Python lacks it, python3-venv; then
# the project's own virtual environment .venv/ with the pinned requirements.txt (the
# distribution refuses system-wide pip installs, PEP 668). The project's commands run
# .venv/bin/python: nothing needs activating, and another Python on PATH is never used.
set -euo pipefail
cd "$(dirname "$0")"
system_python=/usr/bin/python3
if [ ! -x "$system_python" ]; then
  echo "install.sh: $system_python is missing; install the distribution's Python first: apt-get install python3" >&2
  exit 2
fi
packages=()
command -v bwrap >/dev/null 2>&1 || packages+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
"$system_python" -c "import ensurepip, venv" >/dev/null 2>&1 || packages+=(python3-venv)
if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install.sh: installing ${packages[*]} (apt-get)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  echo "install.sh: creating the project's virtual environment .venv/"
  "$system_python" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
