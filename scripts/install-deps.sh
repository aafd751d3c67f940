#!/usr/bin/env bash
# Installs the OS packages kubeadm-swift needs to build, test and run (Debian 12).
# Used by scripts/setup.sh and .ci/run; safe to run again.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  libssl-dev openssl pkg-config   # PKI: system OpenSSL 3 (headers to build, CLI for tests)
  libsqlite3-dev                  # the embedded datastore
  zlib1g-dev                      # SPDY header compression (exec from kubectl 1.27-1.29)
  python3 util-linux iproute2     # tests: unshare for private network namespaces
  runc iptables containernetworking-plugins conntrack socat ebtables ethtool  # what preflight checks on a node
  busybox-static                  # tests: runtime and image-store tests build container root filesystems from it
)
apt-get update -qq
apt-get install -y -qq "${packages[@]}" >/dev/null
# kubectl is preinstalled on these machines; fall back to Debian's client elsewhere.
if ! command -v kubectl >/dev/null 2>&1; then
  apt-get install -y -qq kubernetes-client >/dev/null
fi
# The official Python client, which the acceptance scripts drive the API server with.
if ! python3 -c 'import kubernetes' >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check kubernetes==37.0.2 >/dev/null 2>&1 \
    || python3 -m pip install -q --disable-pip-version-check --break-system-packages kubernetes==37.0.2 >/dev/null
fi
echo "kubeadm-swift: OS packages installed"
