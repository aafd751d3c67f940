#!/usr/bin/env bash
# Storage benchmark: the SQLite store's durable creates (1 and 32 writers), write latency, watch delivery latency
# and a 10,000-object list, against baselines measured in the same run: a bare SQLite insert loop with the same
# durability (WAL + synchronous=FULL; 1 and 32 rows per commit) and, when `etcd` is installed, a loopback etcd
# (v3 JSON gateway /v3/kv/put, 1 and 32 clients).
#   bench/storage.sh [rounds]        (default 3; release build)
#   ETCD=/path/to/etcd bench/storage.sh   (an etcd binary that is not on PATH, e.g. unpacked without installing:
#                                          apt-get download etcd-server && dpkg -x etcd-server_*.deb <dir>)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
rounds="${1:-3}"
work="$root/.build-storage-bench"
mkdir -p "$work"
swift build -c release --scratch-path .build-bench --product storage-bench >&2
bench_bin="$root/.build-bench/release/storage-bench"

scratch="$(mktemp -d "$work/run.XXXXXX")"
etcd_pid=""
cleanup() {
    if [ -n "$etcd_pid" ]; then kill "$etcd_pid" 2>/dev/null || true; wait "$etcd_pid" 2>/dev/null || true; fi
    rm -rf "$scratch"
}
trap cleanup EXIT

etcd_args=()
etcd_bin="${ETCD:-$(command -v etcd || true)}"
if [ -n "$etcd_bin" ] && [ -x "$etcd_bin" ]; then
    # Loopback only, ports picked from a high range, data in the scratch dir (removed on exit).
    port=$(( 42000 + RANDOM % 2000 ))
    peer=$(( port + 1 ))
    "$etcd_bin" --name bench --data-dir "$scratch/etcd" \
        --listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port" \
        --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
        --initial-cluster "bench=http://127.0.0.1:$peer" >"$scratch/etcd.log" 2>&1 &
    etcd_pid=$!
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
        sleep 0.1
    done
    etcd_version=$("$etcd_bin" --version | head -1)
    for clients in 1 32; do
        total=$(( clients == 1 ? 2000 : 9600 ))
        rate=$(python3 - "$port" "$clients" "$total" <<'PY'
import base64, http.client, json, sys, threading, time
port, clients, total = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
value = base64.b64encode(b"k" * 1024).decode()
latencies, lock = [], threading.Lock()
def worker(n, offset):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    mine = []
    for i in range(n):
        key = base64.b64encode(f"/registry/configmaps/bench/c{offset}-{i}".encode()).decode()
        body = json.dumps({"key": key, "value": value})
        start = time.perf_counter()
        conn.request("POST", "/v3/kv/put", body, {"Content-Type": "application/json"})
        response = conn.getresponse(); response.read()
        if response.status != 200: raise SystemExit(f"etcd put failed: {response.status}")
        mine.append(time.perf_counter() - start)
    with lock: latencies.extend(mine)
threads = [threading.Thread(target=worker, args=(total // clients, c)) for c in range(clients)]
start = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.perf_counter() - start
latencies.sort()
p = lambda f: latencies[min(len(latencies) - 1, int(len(latencies) * f))] * 1000
print(f"{len(latencies) / elapsed:.0f} {p(0.5):.3f} {p(0.99):.3f}")
PY
)
        read -r per_s p50 p99 <<<"$rate"
        echo "etcd.put.$clients puts_per_s=$per_s p50_ms=$p50 p99_ms=$p99 ($etcd_version, python http.client)"
        etcd_args+=("--etcd-$clients" "$per_s")
    done
    kill "$etcd_pid"; wait "$etcd_pid" 2>/dev/null || true; etcd_pid=""
else
    echo "etcd: not installed (apt-get install etcd-server for the etcd baseline)"
fi

"$bench_bin" "$scratch/db" "$rounds" "${etcd_args[@]}"
