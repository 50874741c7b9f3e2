#!/usr/bin/env bash
# Installs the Debian packages a real node and the image build need:
# containerd, runc and the CNI plugins (the node), iptables and conntrack
# (kube-proxy), buildah and debootstrap (images without a Docker engine),
# gcc's static libc (the pause image). Does nothing when they are there.
set -euo pipefail

missing=()
for p in containerd:containerd runc:runc iptables:iptables conntrack:conntrack buildah:buildah debootstrap:debootstrap; do
  command -v "${p%%:*}" >/dev/null 2>&1 || missing+=("${p#*:}")
done
[ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || [ -f /usr/lib/aarch64-linux-gnu/libc.a ] || missing+=(libc6-dev)
. "$(dirname "$0")/lib/apt-install.sh"
apt_install "${missing[@]}"
