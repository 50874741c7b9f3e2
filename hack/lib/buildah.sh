# bah runs buildah in StreamGate's own image storage, $BASE/storage, kept
# outside the module (a layer holding Go files must not become part of
# ./...). Sourced by hack/image.sh and hack/node-images.sh.
BASE="${STREAMGATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/streamgate}/image-base"
mkdir -p "$BASE"
bah() { buildah --root "$BASE/storage" --runroot "$BASE/run" --storage-driver overlay "$@"; }
