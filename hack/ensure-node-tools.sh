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
[ ${#missing[@]} -eq 0 ] && exit 0

echo ">> installing ${missing[*]} with apt-get"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "need root or sudo to apt-get install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
