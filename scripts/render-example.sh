#!/bin/sh
# Renders the main example package (examples/kpt/web-allowlist) with the real `kpt fn render`, as a
# platform team would, in a scratch copy so the repository stays clean, then prints what the function
# generated: the Config Connector ComputeSecurityPolicy and its BackendConfig attachment.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples/kpt/web-allowlist" "$work/web-allowlist"
# kpt's own report (the function's warnings and a summary) goes to stderr; the manifests to stdout.
PATH="$root/bin:$PATH" kpt fn render "$work/web-allowlist" --allow-exec >&2
cat "$work/web-allowlist/generated/"*.yaml
