#!/usr/bin/env bash
# Scheduler benchmark: the real kube-apiserver and kube-scheduler processes (release build) on 127.0.0.1, with
# nodes that exist only as API objects (no kubelets, as upstream's scheduler_perf). bench/scheduler (a Swift
# client over KubeClient) creates N nodes with allocatable cpu/memory/pods, then M pods from 32 clients, and
# measures creation -> bound through a watch (pods/s, p50/p99). Baseline in the same run: the rate at which the API
# server accepted those creates (the scheduler cannot bind faster than pods appear; ratio 1.0 = it keeps up). Then
# kube-controller-manager (deployment,replicaset only) starts and a Deployment of R replicas is timed from its
# create to every pod bound, against the time to every pod created. A second, smaller case (500 nodes) shows how
# the figures move with the node count.
#   bench/scheduler.sh [rounds] [nodes] [pods] [replicas]   (default 3 rounds, 5000 nodes, 10000 pods, 1000 replicas)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
nodes="${2:-5000}"
pods="${3:-10000}"
replicas="${4:-1000}"
swift build -c release --scratch-path .build-bench --product kubeadm-swift >&2
swift build -c release --scratch-path .build-bench --product scheduler-bench >&2
pidfile=$(mktemp)
work=$(mktemp -d)
# The driver stops its servers and removes its directory itself; this catches a driver that died or was interrupted.
cleanup() { set +e; for pid in $(cat "$pidfile" 2>/dev/null); do kill "$pid" 2>/dev/null; done; rm -rf "$pidfile" "$work"; }
trap cleanup EXIT
for round in $(seq 1 "$rounds"); do
    for n in "$nodes" 500; do
        .build-bench/release/scheduler-bench --binary .build-bench/release/kubeadm-swift --nodes "$n" --pods "$pods" \
            --replicas "$replicas" --pid-file "$pidfile" --work "$work/run" | sed "s/^{/{\"round\": $round, /"
    done
done
