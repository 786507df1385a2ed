#!/usr/bin/env bash
# scripts/venv.sh DEST REQUIREMENTS — a Python venv with the pinned REQUIREMENTS at DEST.
#
# The venv itself lives in the machine's cache beside cargo's target/ (VITRINA_CACHE, default
# ~/.cache/vitrina), keyed by the requirements file's content and Python's version, and DEST is
# a link to it: a fresh clone (every CI run) links the venv instead of installing the same
# pinned packages again, which took minutes of each run. A changed requirements file is a new
# key, so it is installed once, as before.
set -euo pipefail
dest=$1
req=$2
py=${PY:-python3}
cache=${VITRINA_CACHE:-$HOME/.cache/vitrina}
version=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
key=$(sha256sum "$req" | cut -c1-16)
name=$(basename "$dest")
venv="$cache/venv-${name#.}-py$version-$key"
mkdir -p "$cache"
# Two clones setting up at once take turns; a venv half-installed by a killed run is redone.
exec 9>"$venv.lock"
flock 9
if [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
  touch "$venv/.complete"
fi
rm -rf "$dest"
ln -s "$venv" "$dest"
