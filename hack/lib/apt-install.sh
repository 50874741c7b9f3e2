# apt_install PACKAGE...: installs Debian packages, with sudo when not root.
# Sourced by hack/ensure-*.sh.
apt_install() {
  [ $# -eq 0 ] && return 0
  echo ">> installing $* with apt-get"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "need root or sudo to apt-get install $*" >&2; return 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
