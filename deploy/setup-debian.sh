#!/usr/bin/env bash
# Prepares a Debian 12 machine to build, run and test Tugboat. Idempotent; run as root.
# Installs Java 17, Maven, Docker Engine (docker.io), busybox-static, iptables, iproute2, openssl, a private registry (docker-registry, apache2-utils), tmux, Chromium (the dashboard's test) and a font (charts) when missing, starts dockerd
# when it is not running (there is no systemd on these machines) and builds the example image.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v setsid >/dev/null 2>&1 || need+=(util-linux)
command -v curl >/dev/null 2>&1 || need+=(curl)
# The multi-JVM fencing test cuts a member off with iptables (docker.io usually brings it too).
command -v iptables >/dev/null 2>&1 || need+=(iptables)
# The service proxy makes the cluster IP range the host's own with `ip route` (docs/services.md).
command -v ip >/dev/null 2>&1 || need+=(iproute2)
# The kubectl tests make a throwaway TLS certificate for `kubectl create secret tls`.
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# The imagePullSecrets test pulls from a private registry of its own (Docker's registry, htpasswd auth).
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
# SetupCtrlCIT types the README's first command into tmux and presses Ctrl-C there.
command -v tmux >/dev/null 2>&1 || need+=(tmux)
# DashboardIT drives the web dashboard in Debian's headless Chromium (over the DevTools protocol).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# tug bench draws its charts with Java's AWT (headless), which needs fontconfig and a font.
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core fontconfig)
if ((${#need[@]})); then
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${need[@]}"
fi

if ! docker info >/dev/null 2>&1; then
  echo "setup: starting dockerd (log in /var/log/dockerd.log)"
  # A session of its own (setsid): a Ctrl-C in the terminal that runs `setup-debian.sh && ./tug up`
  # goes to that command line's process group, and must stop Tugboat, not the engine and with it
  # every container on the machine.
  setsid -f dockerd >/var/log/dockerd.log 2>&1 </dev/null
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "setup: dockerd did not come up within 60 s; its log:" >&2
    tail -n 30 /var/log/dockerd.log >&2 || true
    exit 1
  fi
fi
echo "setup: docker $(docker version --format '{{.Server.Version}}') is running"

examples/images/build.sh

# Debian's kubectl 1.20 under /opt/kubectl-1.20 (not on PATH): the kubectl compatibility tests run
# it beside the machine's modern kubectl.
deploy/kubectl-1.20.sh

# kubectl 1.35.2 under /opt/kubectl-1.35 (from npm, the only registry of binaries reachable here):
# the newest generators, which send protobuf, are tested against it.
deploy/kubectl-1.35.sh
