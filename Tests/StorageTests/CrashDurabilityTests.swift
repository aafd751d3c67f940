import Foundation
import Storage
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Acceptance: every write the store acknowledged survives `kill -9` of the writing process.
///
/// The writer is this test binary itself, re-executed with `STORAGE_CRASH_WRITER_DB` set so that only
/// `crashWriterProcess` runs (and does real work); no extra build product is needed.
@Suite("Crash durability", .serialized)
struct CrashDurabilityTests {
    static let databaseVariable = "STORAGE_CRASH_WRITER_DB"

    /// The child's job: create keys from 8 concurrent tasks forever (bounded), printing `ACK <key> <revision>`
    /// with one unbuffered write(2) per acknowledged create. A no-op in a normal test run.
    @Test func crashWriterProcess() async throws {
        guard let path = ProcessInfo.processInfo.environment[Self.databaseVariable] else { return }
        let store = try SQLiteStore(path: path)
        let value = [UInt8](repeating: 0x63, count: 512)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<200_000 {
                        let stored = try await store.create("/crash/\(writer)/\(index)", value: value)
                        let line = Array("ACK \(stored.key) \(stored.modRevision)\n".utf8)
                        _ = line.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
                    }
                }
            }
            try await group.waitForAll()
        }
        await store.close()
    }

    @Test(
        .timeLimit(.minutes(2)),
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/exe"), "re-executes itself via /proc/self/exe")
    )
    func acknowledgedWritesSurviveSigkill() async throws {
        guard ProcessInfo.processInfo.environment[Self.databaseVariable] == nil else { return }
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.db").path

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "crashWriterProcess"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.databaseVariable] = path
        child.environment = environment
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()

        // Kill mid-stream: after enough acknowledgements, or after a deadline if the child is slow.
        let wanted = 3_000
        let acks = await Self.readAcknowledgements(
            from: output.fileHandleForReading, child: child, killAfter: wanted, deadline: .now() + 30
        )
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(child.terminationStatus == SIGKILL)
        #expect(acks.count >= 100, "the child acknowledged only \(acks.count) writes")

        let store = try SQLiteStore(path: path)
        var missing: [String] = []
        for (key, revision) in acks {
            let stored = try await store.get(key)
            if stored?.modRevision != revision { missing.append("\(key)@\(revision) -> \(String(describing: stored))") }
        }
        #expect(missing.isEmpty, "lost acknowledged writes: \(missing.prefix(5))")
        let highest = acks.values.max() ?? 0
        let current = try await store.currentRevision()
        #expect(current >= highest)
        // Revisions stay gap-free across the crash: every revision up to the current one is a stored create.
        #expect(try await store.list(prefix: "/crash/").items.count == Int(current))
        print("crash: \(acks.count) acknowledged before SIGKILL, all found; \(current) writes on disk")
        await store.close()
    }

    /// Reads `ACK <key> <revision>` lines until EOF, sending SIGKILL once `killAfter` arrived or at `deadline`.
    /// Runs on a Dispatch thread because the reads block.
    private static func readAcknowledgements(
        from handle: FileHandle, child: Process, killAfter: Int, deadline: DispatchTime
    ) async -> [String: Int64] {
        let pid = child.processIdentifier
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let timer = DispatchSource.makeTimerSource(queue: .global())
                timer.schedule(deadline: deadline)
                timer.setEventHandler { kill(pid, SIGKILL) }
                timer.resume()
                var acks: [String: Int64] = [:]
                var pending = Data()
                var killed = false
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                        pending.removeSubrange(pending.startIndex...newline)
                        let fields = line.split(separator: " ")
                        if fields.count == 3, fields[0] == "ACK", let revision = Int64(fields[2]) {
                            acks[String(fields[1])] = revision
                        }
                    }
                    if !killed && acks.count >= killAfter {
                        kill(pid, SIGKILL)
                        killed = true
                    }
                }
                timer.cancel()
                continuation.resume(returning: acks)
            }
        }
    }
}
