#!/usr/bin/env bash
# Quick start: prepares this machine and runs `kubeadm-swift init` with its embedded defaults.
# Extra arguments go to `init` (e.g. --apiserver-advertise-address 10.0.0.5, --dry-run).
# Undo everything with: kubeadm-swift reset -f
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run as root: kubeadm-swift init writes /etc/kubernetes and /var/lib/kubelet" >&2; exit 1; }
./scripts/install-deps.sh
# The kernel settings kubeadm's preflight expects on a node (documented in docs/cli.md).
sysctl -qw net.ipv4.ip_forward=1
[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] && sysctl -qw net.bridge.bridge-nf-call-iptables=1
swift build -c release
install -m 0755 "$(swift build -c release --show-bin-path)/kubeadm-swift" /usr/local/bin/kubeadm-swift
exec /usr/local/bin/kubeadm-swift init "$@"
