#!/usr/bin/env bash
# Builds the real Kubernetes control-plane binaries that envtest (and the local
# demo cluster) run: kube-apiserver and etcd, optionally kubectl,
# kube-controller-manager and kube-scheduler. They are compiled from source
# through the Go module proxy because setup-envtest's download is not reachable
# from every build machine. A binary already at the wanted version is skipped.
#
# usage: hack/build-k8s-binaries.sh [OUT_DIR]     (default bin/k8s)
# env:   K8S_VERSION (1.37.2)  ETCD_VERSION (3.7.3)  COREDNS_VERSION (1.15.0)
#        EXTRA_CMDS  ("" — e.g. "kubectl kube-controller-manager kube-scheduler",
#                    or a real node's "kubelet kube-proxy coredns")
#        WORK_DIR    scratch modules (default ${TMPDIR:-/tmp}/streamgate-k8s-build)
#        FORCE=1     rebuild even when present
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.37.2}"
ETCD_VERSION="${ETCD_VERSION:-3.7.3}"
EXTRA_CMDS="${EXTRA_CMDS:-}"
OUT_DIR="${1:-bin/k8s}"
WORK_DIR="${WORK_DIR:-${TMPDIR:-/tmp}/streamgate-k8s-build}"
mkdir -p "$OUT_DIR" "$WORK_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
WORK_DIR="$(cd "$WORK_DIR" && pwd)"

# Scratch modules must not see this repository's go.mod/go.work, must not
# fetch another toolchain, and produce static binaries like upstream releases.
export GOTOOLCHAIN=local CGO_ENABLED=0 GOWORK=off
export GOFLAGS="-mod=mod -buildvcs=false"

k8s_minor="$(echo "$K8S_VERSION" | cut -d. -f2)"
staging_version="v0.${K8S_VERSION#*.}"   # 1.37.2 -> v0.37.2
go_line="$(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')"

# at_version NAME VERSION: is OUT_DIR/NAME present and exactly VERSION?
at_version() {
  local out
  [ -x "$OUT_DIR/$1" ] || return 1
  case $1 in
    kubectl) out="$("$OUT_DIR/kubectl" version --client 2>/dev/null || true)"; grep -qx "Client Version: v$2" <<<"$out" ;;
    etcd)    out="$("$OUT_DIR/etcd" --version 2>/dev/null || true)"; grep -qx "etcd Version: $2" <<<"$out" ;;
    *)       out="$("$OUT_DIR/$1" --version 2>/dev/null || true)"; grep -qx "Kubernetes v$2" <<<"$out" ;;
  esac
}

COREDNS_VERSION="${COREDNS_VERSION:-1.15.0}"
want_coredns=0
wanted=""
for cmd in kube-apiserver $EXTRA_CMDS; do
  if [ "$cmd" = coredns ]; then want_coredns=1; continue; fi
  if [ "${FORCE:-0}" = 1 ] || ! at_version "$cmd" "$K8S_VERSION"; then wanted="$wanted $cmd"; fi
done

if [ -n "$wanted" ]; then
  mod="$WORK_DIR/kubernetes-v$K8S_VERSION"
  mkdir -p "$mod" && cd "$mod"
  printf 'module local/k8sbuild\n\ngo %s\n' "$go_line" > go.mod
  # k8s.io/kubernetes requires its staging modules at v0.0.0 with replaces into
  # ./staging, which only resolve inside its own repository: point each one at
  # its published tag instead.
  upstream_gomod="$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  {
    printf 'module local/k8sbuild\n\ngo %s\n\nrequire k8s.io/kubernetes v%s\n\nreplace (\n' "$go_line" "$K8S_VERSION"
    grep -E '^\s+k8s\.io/[a-z0-9-]+ v0\.0\.0$' "$upstream_gomod" | awk -v v="$staging_version" '{printf "\t%s => %s %s\n", $1, $1, v}'
    echo ")"
  } > go.mod
  go mod download k8s.io/kubernetes
  v=k8s.io/component-base/version; c=k8s.io/client-go/pkg/version
  ldflags="-s -w -X $v.gitVersion=v$K8S_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$k8s_minor -X $v.gitTreeState=clean"
  ldflags="$ldflags -X $c.gitVersion=v$K8S_VERSION -X $c.gitMajor=1 -X $c.gitMinor=$k8s_minor -X $c.gitTreeState=clean"
  # One build for every command: their shared packages compile once, and the
  # links (mostly one core each) run side by side instead of one after another.
  pkgs=""
  for cmd in $wanted; do pkgs="$pkgs k8s.io/kubernetes/cmd/$cmd"; done
  echo ">> building$wanted v$K8S_VERSION"
  # shellcheck disable=SC2086 # one argument per package
  go build -trimpath -ldflags "$ldflags" -o "$OUT_DIR/" $pkgs
fi

if [ "${FORCE:-0}" = 1 ] || ! at_version etcd "$ETCD_VERSION"; then
  mod="$WORK_DIR/etcd-v$ETCD_VERSION"
  mkdir -p "$mod" && cd "$mod"
  # etcd's server module carries replace directives, so `go install pkg@v` is
  # refused; a scratch module that requires it builds the same main package.
  printf 'module local/etcdbuild\n\ngo %s\n\nrequire go.etcd.io/etcd/server/v3 v%s\n' "$go_line" "$ETCD_VERSION" > go.mod
  go mod download go.etcd.io/etcd/server/v3
  echo ">> building etcd v$ETCD_VERSION"
  go build -trimpath -ldflags "-s -w" -o "$OUT_DIR/etcd" go.etcd.io/etcd/server/v3
fi

if [ "$want_coredns" = 1 ] && { [ "${FORCE:-0}" = 1 ] || ! "$OUT_DIR/coredns" -version 2>/dev/null | grep -q "^CoreDNS-$COREDNS_VERSION$"; }; then
  mod="$WORK_DIR/coredns-v$COREDNS_VERSION"
  mkdir -p "$mod" && cd "$mod"
  printf 'module local/corednsbuild\n\ngo %s\n\nrequire github.com/coredns/coredns v%s\n' "$go_line" "$COREDNS_VERSION" > go.mod
  go mod download github.com/coredns/coredns
  echo ">> building coredns v$COREDNS_VERSION"
  go build -trimpath -ldflags "-s -w" -o "$OUT_DIR/coredns" github.com/coredns/coredns
fi

"$OUT_DIR/kube-apiserver" --version
etcd_version="$("$OUT_DIR/etcd" --version)"   # captured: `| head` would SIGPIPE under pipefail
echo "${etcd_version%%$'\n'*}"
