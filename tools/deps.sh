#!/bin/sh
# deps.sh - install the Debian packages rollsim needs, when missing.
# Uses apt-get as root, or through sudo. Prints nothing when all are there.
set -e
PKGS="build-essential pkg-config libgsl-dev libcjson-dev libyaml-dev libcriterion-dev gnuplot-nox"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
