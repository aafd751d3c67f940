#!/usr/bin/env bash
# Kubelet benchmark: a one-node cluster made by `kubeadm-swift init` in a test host (Tests/TestHosts/testhost.sh),
# busybox imported, then bench/kubelet/startup.py creates N pods at a fixed rate and reports creation-to-Running
# latency seen through a watch (p50/p90/p99), against the API server's own create latency measured in the same run.
# Also the kubelet's RSS: idle with only the control plane, and with the N pods running. Root only.
#   bench/kubelet.sh [pods] [rate]      (default 100 pods at 10/s; release build)
set -euo pipefail
cd "$(dirname "$0")/.."
pods="${1:-100}"
rate="${2:-10}"
if [ -z "${KUBEADM_SWIFT_BIN:-}" ]; then
    swift build -c release --scratch-path .build-bench --product kubeadm-swift >&2
    KUBEADM_SWIFT_BIN="$PWD/.build-bench/release/kubeadm-swift"
fi
export TH_ROOT="${TMPDIR:-/tmp}/ks-bench-$$" TH_PREFIX="ksk$$"
source Tests/TestHosts/testhost.sh
cleanup() { set +e; th_exec cp "$KUBEADM_SWIFT_BIN" reset -f >/dev/null 2>&1 || true; th_down cp; th_lan_down; }
trap cleanup EXIT
th_lan_up
th_up cp 10.213.0.11
th_exec cp "$KUBEADM_SWIFT_BIN" init >"$TH_ROOT/init.log" 2>&1 || { cat "$TH_ROOT/init.log" >&2; exit 1; }
python3 Tests/TestHosts/make-busybox-oci.py "$TH_ROOT/busybox.tar" >/dev/null
th_exec cp "$KUBEADM_SWIFT_BIN" images import "$TH_ROOT/busybox.tar" >/dev/null
rss() { th_exec cp bash -c 'grep VmRSS /proc/$(cat /run/kubeadm-swift/kubelet.pid)/status | awk "{print \$2}"'; }
sleep 10
echo "{\"kubelet_idle_rss_kib\": $(rss)}"
th_exec cp env KUBECONFIG=/etc/kubernetes/admin.conf python3 "$PWD/bench/kubelet/startup.py" "$pods" "$rate"
echo "{\"kubelet_rss_with_pods_kib\": $(rss)}"
