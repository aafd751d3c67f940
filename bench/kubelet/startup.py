#!/usr/bin/env python3
"""Pod startup latency on a kubeadm-swift node: creation to Running as seen through a watch (image present),
like the upstream pod-startup SLI. Creates N pods at a fixed rate with the official client, watches them, prints
one JSON line: p50/p90/p99/max in ms, plus a baseline measured in the same run (the time the API server takes to
make the same pod objects exist: create acknowledged), so the kubelet's share is visible.
    startup.py N [rate-per-second] [image]
"""
import json, sys, threading, time
from kubernetes import client, config, watch

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
rate = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
image = sys.argv[3] if len(sys.argv) > 3 else "docker.io/library/busybox:1.36"
config.load_kube_config()
api = client.CoreV1Api()
ns = "default"
created, running, acked = {}, {}, {}
done = threading.Event()

def watcher():
    w = watch.Watch()
    for event in w.stream(api.list_namespaced_pod, ns, label_selector="bench=startup", timeout_seconds=600):
        pod = event["object"]
        name = pod.metadata.name
        if pod.status.phase == "Running" and name not in running:
            running[name] = time.monotonic()
            if len(running) == n:
                w.stop()
    done.set()

t = threading.Thread(target=watcher, daemon=True)
t.start()
time.sleep(1)
for i in range(n):
    name = f"startup-{i}"
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"bench": "startup"}},
            "spec": {"terminationGracePeriodSeconds": 0,
                     "tolerations": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}],
                     "containers": [{"name": "c", "image": image, "command": ["sleep", "3600"]}]}}
    created[name] = time.monotonic()
    api.create_namespaced_pod(ns, body)
    acked[name] = time.monotonic()
    time.sleep(max(0.0, 1.0 / rate - (acked[name] - created[name])))
done.wait(600)

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))] if values else None

lat = [(running[k] - created[k]) * 1000 for k in running]
base = [(acked[k] - created[k]) * 1000 for k in acked]
print(json.dumps({"pods": n, "running": len(running), "rate_per_s": rate,
                  "startup_ms": {"p50": pct(lat, 50), "p90": pct(lat, 90), "p99": pct(lat, 99), "max": max(lat) if lat else None},
                  "baseline_create_ack_ms": {"p50": pct(base, 50), "p99": pct(base, 99)}}))
