#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (base image: Ubuntu 24.04).
# It installs the course's pinned Python packages into /opt/autograder (readable by all users, so that
# a student's kernel running as nobody can start) and the tools of the kernel jail, and prepares the
# course that each run grades in.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip bubblewrap util-linux
python3 -m venv /opt/autograder
/opt/autograder/bin/pip install --no-cache-dir -r /autograder/source/requirements.txt
chmod -R a+rX /opt/autograder
# The course with the assignment generated, copied by every run (saves generating it per submission).
cd /autograder/source && /opt/autograder/bin/python -m autograder gradescope prepare
