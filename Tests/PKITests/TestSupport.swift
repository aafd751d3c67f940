import Foundation
import PKI

/// A fresh directory under the system temp dir, removed by `cleanup()` (call it in `defer`).
struct TempDir {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("pki-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The certificates directory used by store tests (not created, so `CertStore` creates it).
    var pki: URL { url.appendingPathComponent("pki") }

    func cleanup() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Runs `body` with a temporary directory that is removed afterwards.
func withTempDir<T>(_ body: (TempDir) throws -> T) throws -> T {
    let dir = try TempDir()
    defer { dir.cleanup() }
    return try body(dir)
}

/// Current time truncated to whole seconds (X.509 times have one-second resolution).
func wholeSecondNow() -> Date {
    Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
}

/// A typical single-node input.
func sampleInput(_ algorithm: KeyAlgorithm = .ecdsaP256, now: Date = wholeSecondNow()) -> CertTreeInput {
    CertTreeInput(
        nodeName: "cp-1", advertiseAddress: "192.168.15.240", serviceSubnetFirstIP: "10.96.0.1",
        dnsDomain: "cluster.local", controlPlaneEndpointHost: "k8s.example.com",
        apiServerCertSANs: ["10.0.0.9", "api.example.com", "*.apps.example.com", "fd00::1"],
        includeEtcd: true, etcdServerCertSANs: ["etcd.example.com"], etcdPeerCertSANs: ["10.1.1.1"],
        algorithm: algorithm, now: now)
}

/// Result of running a command.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a command (looked up in PATH via /usr/bin/env), optionally feeding stdin.
func run(_ arguments: [String], stdin: [UInt8]? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
    try input.fileHandleForWriting.close()
    // Read both pipes before waiting so a chatty child cannot block on a full pipe.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// POSIX permission bits of a file.
func mode(of url: URL) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    return ((attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1) & 0o777
}

/// Bytes of a file.
func bytes(of url: URL) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url))
}

/// Text of a file.
func text(of url: URL) throws -> String {
    String(decoding: try Data(contentsOf: url), as: UTF8.self)
}

/// Every regular file under `root` with its bytes, keyed by relative path.
func snapshot(_ root: URL) throws -> [String: [UInt8]] {
    var result: [String: [UInt8]] = [:]
    let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
    while let url = enumerator?.nextObject() as? URL {
        guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
        let relative = String(url.path.dropFirst(root.path.count))
        result[relative] = try bytes(of: url)
    }
    return result
}
