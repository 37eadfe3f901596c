#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (base image: Ubuntu 24.04).
# It installs the course's pinned Python packages into /opt/autograder (readable by all users, so that
# a student's kernel running as nobody can start) and the tools of the kernel jail.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip bubblewrap util-linux
python3 -m venv /opt/autograder
/opt/autograder/bin/pip install --no-cache-dir -r /autograder/source/requirements.txt
chmod -R a+rX /opt/autograder
