#!/usr/bin/env bash
# The images a real node needs besides StreamGate's, as OCI archives in
# bin/images/ (no registry is reachable):
#   registry.k8s.io/pause:3.10.2  the pod sandbox: Kubernetes' own pause.c,
#                                 from the k8s.io/kubernetes module, static
#   localhost/coredns:$COREDNS_VERSION  cluster DNS: CoreDNS built from its
#                                 Go module (hack/build-k8s-binaries.sh)
# Built with buildah in the storage hack/image.sh uses. Skips what exists.
set -euo pipefail
cd "$(dirname "$0")/.."
K8S_VERSION="${K8S_VERSION:-1.37.2}"
COREDNS_VERSION="${COREDNS_VERSION:-1.15.0}"
BIN="${K8S_BIN:-bin/k8s}"
OUT="$PWD/bin/images"
mkdir -p "$OUT"
. hack/lib/buildah.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

pause=registry.k8s.io/pause:3.10.2
if [ ! -f "$OUT/pause.tar" ]; then
  src="$(go env GOMODCACHE)/k8s.io/kubernetes@v$K8S_VERSION/build/pause/linux/pause.c"
  [ -f "$src" ] || GOFLAGS=-mod=mod go mod download "k8s.io/kubernetes@v$K8S_VERSION" 2>/dev/null || true
  [ -f "$src" ] || { echo "no $src: run make node-binaries first" >&2; exit 1; }
  gcc -Os -Wall -Werror -static -DVERSION=v3.10.2-streamgate -o "$work/pause" "$src"
  strip "$work/pause"
  c="$(bah from scratch)"
  bah copy "$c" "$work/pause" /pause
  bah config --user 65535:65535 --entrypoint '["/pause"]' "$c"
  bah commit --rm "$c" "$pause" >/dev/null
  bah push "$pause" "oci-archive:$OUT/pause.tar:$pause" >/dev/null
fi

coredns="localhost/coredns:$COREDNS_VERSION"
if [ ! -f "$OUT/coredns.tar" ]; then
  [ -x "$BIN/coredns" ] || { echo "no $BIN/coredns: run make node-binaries first" >&2; exit 1; }
  c="$(bah from scratch)"
  bah copy "$c" "$BIN/coredns" /coredns
  bah config --user 65532:65532 --entrypoint '["/coredns"]' "$c"
  bah commit --rm "$c" "$coredns" >/dev/null
  bah push "$coredns" "oci-archive:$OUT/coredns.tar:$coredns" >/dev/null
fi
ls -l "$OUT"
