#!/usr/bin/env bash
# Runs the whole test suite: unit tests of every module and the end-to-end tests that drive the built
# binary with the real openssl and kubectl. Run as root so the namespace-based tests run too.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
# --no-parallel: the E2E tests wait on real processes (kubectl, openssl, the server) synchronously, which would
# otherwise hold the 2-core cooperative thread pool that in-process servers in other tests need to answer.
swift test --no-parallel 2>&1 | tee "${TMPDIR:-/tmp}/kubeadm-swift-test.log"
