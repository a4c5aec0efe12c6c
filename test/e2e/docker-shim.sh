#!/bin/sh
# A stand-in for `docker` in end-to-end tests: kustomize runs container functions with
# `docker run --rm -i ... IMAGE`, and no Docker engine runs here. This runs the function bundle the way
# the image's entrypoint does (`node /fn.js`, no arguments), in an empty working directory, with none of
# the caller's environment (a container gets only what `-e` passes), stdin and stdout wired through.
# kpt first asks `docker version` whether an engine is there; kustomize does not.
set -eu
if [ "${1:-}" = "version" ]; then echo "28.0.0"; exit 0; fi   # kpt wants a client version >= 20.10
[ "${1:-}" = "run" ] || { echo "docker shim: only 'version' and 'run' are supported, got: $*" >&2; exit 2; }
: "${FN_BUNDLE:?FN_BUNDLE must point at dist/fn.js}"
: "${FN_NODE:=$(command -v node)}"
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
cp "$FN_BUNDLE" "$workdir/fn.js"
cd "$workdir"
env -i HOME=/nonexistent "$FN_NODE" "$workdir/fn.js"
