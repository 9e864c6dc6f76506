#!/bin/sh
# Installs the Debian packages neurotop needs to build and test, when missing.
# As root it uses apt-get; otherwise it names the packages to install.
set -e
PKGS="gcc make libncurses-dev libopenblas-dev liblapacke-dev libgsl-dev libcriterion-dev zlib1g-dev pkg-config"
[ -n "$NEUROTOP_EXTRA_PKGS" ] && PKGS="$PKGS $NEUROTOP_EXTRA_PKGS"
if ! command -v dpkg >/dev/null 2>&1; then
    echo "not a Debian system: install the equivalents of$PKGS yourself" >&2
    exit 0
fi
missing=""
for p in $PKGS; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq $missing
else
    echo "neurotop needs these Debian packages:$missing" >&2
    echo "install them with: sudo apt-get install$missing" >&2
    exit 2
fi
