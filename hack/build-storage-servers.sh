#!/usr/bin/env bash
# Builds the real storage servers that the object-store and IPFS tests (and
# the demo) run: kubo (the `ipfs` daemon) and versitygw (an S3 gateway with a
# POSIX backend). Both come from source through the Go module proxy, like the
# control plane. A binary already at the wanted version is skipped.
#
# usage: hack/build-storage-servers.sh [OUT_DIR]     (default bin/storage)
# env:   KUBO_VERSION (0.43.1)  VERSITYGW_VERSION (1.8.0)
#        WORK_DIR    scratch modules (default ${TMPDIR:-/tmp}/streamgate-storage-build)
#        FORCE=1     rebuild even when present
set -euo pipefail

KUBO_VERSION="${KUBO_VERSION:-0.43.1}"
VERSITYGW_VERSION="${VERSITYGW_VERSION:-1.8.0}"
OUT_DIR="${1:-bin/storage}"
WORK_DIR="${WORK_DIR:-${TMPDIR:-/tmp}/streamgate-storage-build}"
mkdir -p "$OUT_DIR" "$WORK_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
WORK_DIR="$(cd "$WORK_DIR" && pwd)"

# Scratch modules must not see this repository's go.mod, must not fetch
# another toolchain, and produce static binaries.
export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off
export GOFLAGS="-mod=mod -buildvcs=false"
go_line="$(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')"

if [ "${FORCE:-0}" = 1 ] || ! "$OUT_DIR/ipfs" version 2>/dev/null | grep -qx "ipfs version $KUBO_VERSION"; then
  mod="$WORK_DIR/kubo-v$KUBO_VERSION"
  mkdir -p "$mod" && cd "$mod"
  # kubo v0.43.1 replaces go-libp2p with a fork that the module proxy does
  # not serve; the fork only exists to take quic-go v0.62 and webtransport-go
  # v0.13. The released go-libp2p v0.49.0 builds with the quic-go and
  # webtransport-go it was released with, so those two are pinned instead.
  # (A test daemon runs offline: no QUIC or WebTransport is ever dialled.)
  cat > go.mod <<MOD
module local/kubobuild

go $go_line

require github.com/ipfs/kubo v$KUBO_VERSION

replace (
	github.com/quic-go/quic-go => github.com/quic-go/quic-go v0.60.0
	github.com/quic-go/webtransport-go => github.com/quic-go/webtransport-go v0.11.1
)
MOD
  go mod download github.com/ipfs/kubo
  echo ">> building kubo (ipfs) v$KUBO_VERSION"
  go build -trimpath -ldflags "-s -w" -o "$OUT_DIR/ipfs" github.com/ipfs/kubo/cmd/ipfs
fi

if [ "${FORCE:-0}" = 1 ] || ! "$OUT_DIR/versitygw" --version 2>/dev/null | grep -qx "Version *: *v$VERSITYGW_VERSION"; then
  echo ">> building versitygw v$VERSITYGW_VERSION"
  GOBIN="$OUT_DIR" go install -trimpath -ldflags "-s -w -X main.Version=v$VERSITYGW_VERSION" "github.com/versity/versitygw/cmd/versitygw@v$VERSITYGW_VERSION"
fi

"$OUT_DIR/ipfs" version
vgw_version="$("$OUT_DIR/versitygw" --version)"   # captured: `| head` would SIGPIPE under pipefail
echo "versitygw ${vgw_version%%$'\n'*}"
