#!/usr/bin/env bash
# Installs Debian's kubectl 1.20 (package kubernetes-client) under /opt/kubectl-1.20 for the
# compatibility tests (KubectlIT). It is extracted rather than installed: its /usr/bin/kubectl
# conflicts with the Google Cloud CLI's kubectl that some machine images carry. Idempotent.
set -euo pipefail
dest="${TUGBOAT_KUBECTL_1_20_DIR:-/opt/kubectl-1.20}"
if [[ -x "$dest/usr/bin/kubectl" ]]; then
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && apt-get download kubernetes-client >/dev/null 2>&1); then
  apt-get update -qq
  (cd "$tmp" && apt-get download kubernetes-client)
fi
mkdir -p "$dest"
dpkg-deb -x "$tmp"/kubernetes-client_*.deb "$dest"
"$dest/usr/bin/kubectl" version --client --short 2>/dev/null || "$dest/usr/bin/kubectl" version --client
