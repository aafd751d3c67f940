#!/usr/bin/env bash
# PKI benchmark: generates the whole kubeadm certificate tree N times (RSA-2048 and ECDSA-P256) and prints
# medians plus a baseline measured in the same run (serial single-key generation).
#   bench/pki.sh [iterations]        (default 7; release build in .build-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-bench --product pki-bench >&2
exec .build-bench/release/pki-bench "${1:-7}"
