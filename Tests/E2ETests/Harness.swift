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

    /// Runs a program to completion with stdin from /dev/null, capturing stdout and stderr.
    ///
    /// posix_spawn and waitpid rather than Foundation's Process: Process learns of a child's exit through a SIGCHLD
    /// handler, and was seen to miss it (leaving the test waiting forever on a zombie) when the child had started
    /// namespace holders in the background. waitpid on the one pid cannot miss.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let program = executable.hasPrefix("/") ? executable : "/usr/bin/env"
        let argv = executable.hasPrefix("/") ? [executable] + arguments : ["env", executable] + arguments
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        var out: [Int32] = [0, 0], err: [Int32] = [0, 0]
        guard pipe(&out) == 0, pipe(&err) == 0 else { throw HarnessError("pipe: \(errno)") }
        // Close-on-exec, so only the dup2'd copies reach the child (and no other child holds the pipes open).
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer { cArgv.forEach { free($0) }; cEnv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, program, &actions, nil, &cArgv, &cEnv)
        close(out[1]); close(err[1])
        guard rc == 0 else {
            close(out[0]); close(err[0])
            throw HarnessError("cannot start \(program): \(String(cString: strerror(rc)))")
        }
        // Read both pipes at once, so a chatty child cannot block on a full pipe.
        let errBox = DataBox()
        let errDone = DispatchSemaphore(value: 0)
        let errFD = err[0]
        Thread.detachNewThread {
            errBox.data = readAll(errFD)
            errDone.signal()
        }
        let outData = readAll(out[0])
        errDone.wait()
        close(out[0]); close(err[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Run(status: code, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    private static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count > 0 { data.append(contentsOf: buffer[0..<count]) } else if count < 0 && errno == EINTR { continue } else { break }
        }
        return data
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

private final class DataBox: @unchecked Sendable {
    var data = Data()
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
