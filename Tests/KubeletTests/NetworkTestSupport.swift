import Foundation
import KubeAPI
import Testing
@testable import Kubelet

#if canImport(Glibc)
import Glibc
#endif

/// Helpers shared by the Network* suites: temporary roots, shell commands and fake CNI plugins.
enum NetworkTestSupport {
    /// A fresh directory, removed when `body` ends (also when it throws).
    static func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kubelet-net-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(path)
    }

    /// What a command printed.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a command to completion (stdin empty).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errorData = ErrorCollector()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.set(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errorData.get(), as: UTF8.self))
    }

    /// ``run(_:_:environment:)`` on a Dispatch thread, so a long child does not hold a Swift concurrency thread.
    static func runDetached(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(executable, arguments, environment: environment) })
            }
        }
    }

    /// Whether `tool` is on the search path (plus the sbin directories, where ip and iptables live).
    static func which(_ tool: String) -> Bool {
        (searchPath.split(separator: ":")).contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    private static var searchPath: String {
        "/usr/sbin:/sbin:/usr/bin:/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
    }

    /// Runs a shell command, failing with its output when it exits non-zero; returns stdout.
    @discardableResult
    static func sh(_ command: String) throws -> String {
        let output = try shell(command)
        guard output.status == 0 else { throw ShellFailure(command: command, output: output) }
        return output.stdout
    }

    /// Runs a shell command with the sbin directories on the search path; any exit status.
    static func shell(_ command: String) throws -> Output {
        try run("/bin/sh", ["-c", "PATH=\(searchPath); " + command])
    }

    struct ShellFailure: Error, CustomStringConvertible {
        var command: String
        var output: Output
        var description: String { "`\(command)` exited \(output.status): \(output.stdout)\(output.stderr)" }
    }

    private final class ErrorCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ new: Data) { lock.withLock { data = new } }
        func get() -> Data { lock.withLock { data } }
    }

    /// Writes a fake CNI plugin called `type` into `directory`: it logs each call to `$FAKE_CNI_LOG` as
    /// `<n>-<command>-<type>.json` (its stdin) and `.env` (its CNI_* variables), then runs `behaviour`
    /// (shell code; the default prints a bridge-like ADD result naming the plugin).
    static func writeFakePlugin(_ type: String, in directory: String, behaviour: String? = nil) throws {
        let result = #"{"cniVersion":"1.0.0","interfaces":[{"name":"cni0"},{"name":"eth0","sandbox":"/ns"}],"#
            + #""ips":[{"address":"10.244.1.7/24","gateway":"10.244.1.1","interface":1}],"from":"TYPE"}"#
        let script = """
            #!/bin/sh
            n=$(cat "$FAKE_CNI_LOG/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$FAKE_CNI_LOG/count"
            cat > "$FAKE_CNI_LOG/$n-$CNI_COMMAND-\(type).json"
            env | grep '^CNI_' | sort > "$FAKE_CNI_LOG/$n-$CNI_COMMAND-\(type).env"
            \(behaviour ?? #"if [ "$CNI_COMMAND" = ADD ]; then printf '%s' '\#(result.replacingOccurrences(of: "TYPE", with: type))'; fi"#)

            """
        let path = directory + "/" + type
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
    }

    /// The calls fake plugins logged, in order: `"ADD-a"`, `"DEL-b"`, ...
    static func fakeCalls(_ log: String) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: log)) ?? []).filter { $0.hasSuffix(".json") }
        return names.compactMap { name -> (Int, String)? in
            let parts = name.dropLast(5).split(separator: "-", maxSplits: 1)
            guard parts.count == 2, let index = Int(parts[0]) else { return nil }
            return (index, String(parts[1]))
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// The stdin of the `index`-th (1-based) fake call, parsed.
    static func fakeInput(_ log: String, _ index: Int) throws -> JSONValue {
        let name = try #require(((try? FileManager.default.contentsOfDirectory(atPath: log)) ?? [])
            .first { $0.hasPrefix("\(index)-") && $0.hasSuffix(".json") })
        let data = try #require(FileManager.default.contents(atPath: log + "/" + name))
        return try JSONParser().parse(Array(data))
    }

    /// The CNI_* environment of the `index`-th fake call.
    static func fakeEnvironment(_ log: String, _ index: Int) throws -> [String: String] {
        let name = try #require(((try? FileManager.default.contentsOfDirectory(atPath: log)) ?? [])
            .first { $0.hasPrefix("\(index)-") && $0.hasSuffix(".env") })
        let text = try String(contentsOfFile: log + "/" + name, encoding: .utf8)
        var environment: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let pair = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if pair.count == 2 { environment[String(pair[0])] = String(pair[1]) }
        }
        return environment
    }
}
