import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the system tools the store builds on (GNU tar, gzip/zstd, mount, ldd).
///
/// Standard error goes to an unlinked temporary file rather than a pipe, so a tool that writes a lot of
/// warnings can never block on a full pipe while we read its standard output.
enum ImageTools {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// Where tools are looked for; the kubelet may run with an empty or minimal PATH.
    static let searchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// Debian package per tool, for the "install it with" hint.
    static let packages = ["tar": "tar", "gzip": "gzip", "zstd": "zstd", "mount": "mount", "ldd": "libc-bin",
                           "cp": "coreutils", "rm": "coreutils"]

    static func locate(_ tool: String) throws -> String {
        for directory in searchPath where FileManager.default.isExecutableFile(atPath: directory + "/" + tool) {
            return directory + "/" + tool
        }
        throw ImageStoreError.missingTool(tool, package: packages[tool] ?? tool)
    }

    /// Runs `tool` and returns its output, throwing `toolFailed` (with its stderr) on a non-zero exit.
    @discardableResult
    static func check(_ tool: String, _ arguments: [String], in directory: String? = nil) throws -> Data {
        var output = Data()
        try stream(tool, arguments, in: directory) { output.append($0) }
        return output
    }

    /// Runs `tool`, handing its standard output to `body` in chunks as it arrives.
    /// If `body` throws, the tool is terminated and reaped before the error propagates.
    static func stream(_ tool: String, _ arguments: [String], in directory: String? = nil, _ body: (Data) throws -> Void) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate(tool))
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        process.environment = environment
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        guard let errorFile = tmpfile() else { throw ImageStoreError.io("cannot create a temporary file for \(tool)'s messages") }
        defer { fclose(errorFile) }
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = FileHandle(fileDescriptor: fileno(errorFile), closeOnDealloc: false)
        let command = ([tool] + arguments).joined(separator: " ")
        do {
            try process.run()
        } catch {
            throw ImageStoreError.toolFailed(command: command, status: -1, output: "\(error)")
        }
        let reader = output.fileHandleForReading
        do {
            while let chunk = try reader.read(upToCount: 1 << 20), !chunk.isEmpty { try body(chunk) }
        } catch {
            process.terminate()
            process.waitUntilExit()
            throw error
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw ImageStoreError.toolFailed(command: command, status: process.terminationStatus, output: readAll(errorFile))
        }
    }

    private static func readAll(_ file: UnsafeMutablePointer<FILE>) -> String {
        rewind(file)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer.prefix(count))
            if bytes.count > 8192 { break }
        }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
