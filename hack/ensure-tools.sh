#!/usr/bin/env bash
# Installs the Debian packages the tests run for real: ffmpeg/ffprobe (the
# transcoder) and Node.js/npm (anvil, cast, solc and litesvm come from npm,
# see hack/chain) and Chromium (the player page test). Does nothing when they
# are already there.
set -euo pipefail

missing=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
. "$(dirname "$0")/lib/apt-install.sh"
apt_install "${missing[@]}"
