#!/usr/bin/env bash
# Builds StreamGate's two images from the project's Dockerfile, unchanged:
#   $IMAGE_NAME:$TAG             (target runtime: manager, serve, index)
#   $IMAGE_NAME-transcoder:$TAG  (target transcoder: the worker, with ffmpeg)
# and writes each as an OCI archive under bin/images/, with their sizes.
#
# With a Docker or Podman engine running, it builds with that. Without one
# (this machine kind), with Debian's buildah, in its own storage under
# $STREAMGATE_CACHE/image-base (outside the module: a layer holding Go files
# must not become part of ./...): no registry is reachable, so the bases the Dockerfile
# names are made here first, once —
#   debian:bookworm-slim  from `debootstrap --variant=minbase bookworm`;
#   golang:1.26-bookworm  that, plus this machine's Go toolchain and CA bundle.
# RUN steps reach the Debian mirror and the Go module proxy over the host's
# network (--network=host: buildah's own CNI network would claim
# 10.88.0.0/16, a common pod range); the build stage reads the host's module
# and build caches through overlay mounts (read-only to the host).
#
# env: IMAGE_NAME (ghcr.io/streamgate-io/streamgate) TAG (dev) VERSION (TAG)
#      REVISION (git HEAD) DEBIAN_MIRROR (http://deb.debian.org/debian)
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE_NAME="${IMAGE_NAME:-ghcr.io/streamgate-io/streamgate}"
TAG="${TAG:-dev}"
VERSION="${VERSION:-$TAG}"
REVISION="${REVISION:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
OUT="$PWD/bin/images"
mkdir -p "$OUT"
runtime="$IMAGE_NAME:$TAG"
transcoder="$IMAGE_NAME-transcoder:$TAG"
build_args=(--build-arg "VERSION=$VERSION" --build-arg "REVISION=$REVISION")

engine=""
for e in docker podman; do
  if command -v "$e" >/dev/null 2>&1 && "$e" info >/dev/null 2>&1; then engine="$e"; break; fi
done

if [ -n "$engine" ]; then
  echo ">> building with $engine"
  "$engine" build "${build_args[@]}" --target runtime -t "$runtime" .
  "$engine" build "${build_args[@]}" --target transcoder -t "$transcoder" .
  "$engine" save -o "$OUT/streamgate.tar" "$runtime"
  "$engine" save -o "$OUT/streamgate-transcoder.tar" "$transcoder"
  "$engine" images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -F -e "$runtime" -e "$transcoder"
  exit 0
fi

command -v buildah >/dev/null || { echo "no Docker or Podman engine, and no buildah: apt-get install buildah debootstrap" >&2; exit 1; }
. hack/lib/buildah.sh
has_image() { bah inspect --type image "$1" >/dev/null 2>&1; }

debian=docker.io/library/debian:bookworm-slim
if ! has_image "$debian"; then
  if [ ! -f "$BASE/rootfs.tar" ]; then
    echo ">> debootstrap --variant=minbase bookworm (a few minutes, once)"
    rm -rf "$BASE/rootfs"
    debootstrap --variant=minbase bookworm "$BASE/rootfs" "$MIRROR" > "$BASE/debootstrap.log" 2>&1 \
      || { tail -20 "$BASE/debootstrap.log" >&2; exit 1; }
    rm -rf "$BASE/rootfs/var/cache/apt/archives/"*.deb "$BASE/rootfs/var/lib/apt/lists/"*
    tar --numeric-owner -C "$BASE/rootfs" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$BASE/rootfs.tar.part" .
    mv "$BASE/rootfs.tar.part" "$BASE/rootfs.tar"
    rm -rf "$BASE/rootfs"
  fi
  c="$(bah from scratch)"
  bah add "$c" "$BASE/rootfs.tar" /
  bah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd bash "$c"
  bah commit --rm "$c" "$debian" >/dev/null
fi

go_version="$(go env GOVERSION)"
golang=docker.io/library/golang:1.26-bookworm
if ! has_image "$golang" || [ "$(bah inspect --type image --format '{{index .ImageAnnotations "streamgate.go-version"}}' "$golang" 2>/dev/null)" != "$go_version" ]; then
  echo ">> $golang from $debian and this machine's $go_version"
  c="$(bah from --pull=never "$debian")"
  bah copy "$c" "$(go env GOROOT)" /usr/local/go
  bah copy "$c" /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
  bah config --env GOPATH=/go --env PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env GOPROXY="$(go env GOPROXY)" --env GOSUMDB="$(go env GOSUMDB)" \
    --annotation "streamgate.go-version=$go_version" --workingdir /go "$c"
  bah commit --rm "$c" "$golang" >/dev/null
fi

caches=(-v "$(go env GOMODCACHE):/go/pkg/mod:O" -v "$(go env GOCACHE):/root/.cache/go-build:O")
for target in runtime transcoder; do
  name="$runtime"; [ "$target" = transcoder ] && name="$transcoder"
  echo ">> buildah bud --target $target -t $name"
  bah bud --pull=never --network=host --layers "${caches[@]}" "${build_args[@]}" --target "$target" -t "$name" -f Dockerfile .
done
bah push "$runtime" "oci-archive:$OUT/streamgate.tar:$runtime" >/dev/null
bah push "$transcoder" "oci-archive:$OUT/streamgate-transcoder.tar:$transcoder" >/dev/null
echo
for name in "$runtime" "$transcoder"; do
  printf '%-60s %s\n' "$name" "$(bah images --format '{{.Size}}' "$name" | head -1)"
done
ls -l "$OUT"/*.tar
