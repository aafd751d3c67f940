import Foundation
import Testing

/// Runs the built `kubeadm-swift` binary (or any tool) and captures what it printed.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
    var combined: String { stdout + stderr }
}

enum Harness {
    /// `KUBEADM_SWIFT_BIN`, else the debug build next to the package (`swift build` puts it there).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["KUBEADM_SWIFT_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/kubeadm-swift").path
    }

    static var isRoot: Bool { getuid() == 0 }

    static func which(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting, so a chatty child cannot block on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }

    @discardableResult
    static func kubeadm(_ arguments: String..., environment: [String: String] = [:]) throws -> Run {
        try run(binary, arguments, environment: environment)
    }

    static func kubeadm(args arguments: [String], environment: [String: String] = [:]) throws -> Run {
        try run(binary, arguments, environment: environment)
    }

    /// A fresh directory that is removed when `body` ends, also when it throws.
    static func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kubeadm-swift-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
