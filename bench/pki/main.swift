// pki-bench: times generating kubeadm's whole certificate tree (10 certificates + sa key pair)
// into a fresh temporary directory, for RSA-2048 and ECDSA-P256.
//
// The baseline is measured in the same run on the same machine: the median time of one
// in-process key generation of the same algorithm, times the number of keys in the tree. The
// ratio (tree median / serial keygen estimate) therefore says how much the parallel key generation
// and the rest of the work (signing, encoding, fsync) cost or save, independent of how fast the
// machine is. Usage: pki-bench [iterations] (default 7).

import Foundation
import PKI

let iterations = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 7

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let elapsed = try clock.measure(body)
    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

func format(_ value: Double) -> String { String(format: "%.1f", value) }

func generateTree(_ algorithm: KeyAlgorithm, includeEtcd: Bool) throws -> Double {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pki-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = CertTreeInput(nodeName: "bench-node", advertiseAddress: "192.168.0.10", algorithm: algorithm)
    return try milliseconds {
        try CertStore(directory: directory.appendingPathComponent("pki"))
            .ensure(specs: CertTree.specs(includeEtcd: includeEtcd), input: input, includeServiceAccountKey: true)
    }
}

/// The way kubeadm's phases run: one `ensure` call per certificate, keys prefetched in a pool.
func generateTreePhased(_ algorithm: KeyAlgorithm, includeEtcd: Bool) throws -> Double {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pki-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = CertTreeInput(nodeName: "bench-node", advertiseAddress: "192.168.0.10", algorithm: algorithm)
    let specs = CertTree.specs(includeEtcd: includeEtcd)
    return try milliseconds {
        let store = CertStore(directory: directory.appendingPathComponent("pki"))
        let pool = store.prefetchKeys(specs: specs, algorithm: algorithm, includeServiceAccountKey: true)
        for spec in specs { try store.ensure(specs: [spec], input: input, keyPool: pool) }
        try store.ensureServiceAccountKey(algorithm: algorithm, keyPool: pool)
    }
}

/// The default tree (embedded datastore: 5 certificates) and the tree with a local etcd (10 certificates).
let trees: [(name: String, includeEtcd: Bool)] = [("default", false), ("with-etcd", true)]

do {
    for algorithm in [KeyAlgorithm.rsa2048, .ecdsaP256] {
      for tree in trees {
        let keysInTree = CertTree.specs(includeEtcd: tree.includeEtcd).count + 1  // + sa
        _ = try generateTree(algorithm, includeEtcd: tree.includeEtcd)  // warm-up: page in code, seed the RNG
        var runs: [Double] = []
        var phased: [Double] = []
        for _ in 0..<iterations {
            runs.append(try generateTree(algorithm, includeEtcd: tree.includeEtcd))
            phased.append(try generateTreePhased(algorithm, includeEtcd: tree.includeEtcd))
        }
        var singles: [Double] = []
        for _ in 0..<(iterations * 3) { singles.append(try milliseconds { _ = try PrivateKey.generate(algorithm) }) }
        let treeMedian = median(runs)
        let single = median(singles)
        let serial = single * Double(keysInTree)
        print(
            "pki \(algorithm.rawValue.lowercased()) tree=\(tree.name) iterations=\(iterations) median_ms=\(format(treeMedian)) "
                + "min_ms=\(format(runs.min() ?? 0)) max_ms=\(format(runs.max() ?? 0)) "
                + "baseline_single_key_ms=\(String(format: "%.3f", single)) keys=\(keysInTree) baseline_serial_keygen_ms=\(format(serial)) "
                + "ratio=\(String(format: "%.2f", serial > 0 ? treeMedian / serial : 0)) "
                + "phased_median_ms=\(format(median(phased))) cores=\(ProcessInfo.processInfo.activeProcessorCount)")
      }
    }
} catch {
    FileHandle.standardError.write(Data("pki-bench: \(error)\n".utf8))
    exit(1)
}
