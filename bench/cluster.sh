#!/usr/bin/env bash
# Cluster benchmark: wall time of `kubeadm-swift init` to a Ready node with every control-plane pod Running, of
# `join` to a Ready worker, and the control plane's total RSS at idle (kube-apiserver + kube-controller-manager +
# kube-scheduler + kubelet), in test hosts (Tests/TestHosts/testhost.sh). Baseline in the same run: the time to
# generate the PKI alone (`init phase certs all` in a scratch directory), the part of init no cluster can skip.
#   bench/cluster.sh [rounds]      (default 3; release build; root only)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
if [ -z "${KUBEADM_SWIFT_BIN:-}" ]; then
    swift build -c release --scratch-path .build-bench --product kubeadm-swift >&2
    KUBEADM_SWIFT_BIN="$PWD/.build-bench/release/kubeadm-swift"
fi
KS="$KUBEADM_SWIFT_BIN"
export TH_ROOT="${TMPDIR:-/tmp}/ks-bench-$$" TH_PREFIX="ksb$$"
source Tests/TestHosts/testhost.sh
now() { date +%s.%N; }
cleanup() { set +e; for h in w1 cp; do th_exec $h "$KS" reset -f >/dev/null 2>&1 || true; th_down $h; done; th_lan_down; }
trap cleanup EXIT
th_lan_up
for round in $(seq 1 "$rounds"); do
    th_up cp 10.213.0.11; th_up w1 10.213.0.21
    scratch=$(mktemp -d)
    t0=$(now); "$KS" init phase certs all --cert-dir "$scratch/pki" >/dev/null; t1=$(now); rm -rf "$scratch"
    start=$(now)
    th_exec cp "$KS" init >"$TH_ROOT/init.log" 2>&1
    th_exec cp env KUBECONFIG=/etc/kubernetes/admin.conf bash -c '
      until [ "$(kubectl get node cp -o jsonpath="{.status.conditions[?(@.type==\"Ready\")].status}" 2>/dev/null)" = True ] &&
            [ "$(kubectl get pods -n kube-system --no-headers 2>/dev/null | grep -c "1/1 *Running")" = 3 ]; do sleep 0.05; done'
    ready=$(now)
    join=$(grep -A1 "kubeadm-swift join" "$TH_ROOT/init.log" | tr -d '\\\n\t' | sed "s|kubeadm-swift join||")
    jstart=$(now)
    th_exec w1 "$KS" join $join >/dev/null 2>&1
    th_exec cp env KUBECONFIG=/etc/kubernetes/admin.conf bash -c '
      until [ "$(kubectl get node w1 -o jsonpath="{.status.conditions[?(@.type==\"Ready\")].status}" 2>/dev/null)" = True ]; do sleep 0.05; done'
    jready=$(now)
    sleep 15
    rss=$(th_exec cp bash -c 'total=0; for p in $(ls /proc | grep -E "^[0-9]+$"); do
        grep -E "(:pids:|^0::)" /proc/$p/cgroup 2>/dev/null | grep -q "/\.\." && continue
        case "$(tr "\0" " " </proc/$p/cmdline 2>/dev/null | cut -d" " -f1-2)" in
          *kubeadm-swift\ kube*) total=$((total + $(grep VmRSS /proc/$p/status | awk "{print \$2}")));;
        esac; done; echo $total')
    printf '{"round": %d, "init_to_ready_s": %.2f, "join_to_ready_s": %.2f, "pki_only_s": %.2f, "control_plane_rss_mib": %.1f}\n' \
        "$round" "$(echo "$ready - $start" | bc)" "$(echo "$jready - $jstart" | bc)" "$(echo "$t1 - $t0" | bc)" "$(echo "$rss / 1024" | bc -l)"
    for h in w1 cp; do th_exec $h "$KS" reset -f >/dev/null 2>&1; th_down $h; done
done
