#!/usr/bin/env bash
# API server benchmark: the real `kubeadm-swift kube-apiserver` process over HTTPS (client certificate,
# Node,RBAC, NodeRestriction, SQLite store), driven by a SwiftNIO client from bench/apiserver. Measures creates/s and
# latency with 1 and 32 clients (against the raw store with the same concurrency, in the same run), GET latency, a
# 10,000-pod LIST, watch fan-out to 100 watchers, and the server's RSS at idle and at peak.
#   bench/apiserver.sh [rounds] [pods]     (default 3 rounds, 10000 pods; release build)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
pods="${2:-10000}"
swift build -c release --scratch-path .build-bench --product kubeadm-swift >&2
swift build -c release --scratch-path .build-bench --product apiserver-bench >&2
for round in $(seq 1 "$rounds"); do
    echo "## round $round"
    .build-bench/release/apiserver-bench --binary .build-bench/release/kubeadm-swift --pods "$pods"
done
