import Foundation
import Testing
@testable import Kubelet

#if canImport(Glibc)
import Glibc
#endif

/// CRI log lines, rotation, and the pump that copies container output into them (driven through real FIFOs,
/// without runc).
struct RuntimeLogTests {
    @Test func timestampFormat() {
        #expect(String(decoding: CRITimestamp.format(seconds: 1_475_713_029, nanoseconds: 669_794_202), as: UTF8.self)
            == "2016-10-06T00:17:09.669794202Z")
        #expect(String(decoding: CRITimestamp.format(seconds: 0, nanoseconds: 5), as: UTF8.self)
            == "1970-01-01T00:00:00.000000005Z")
        #expect(String(decoding: CRITimestamp.format(seconds: 1_772_323_199, nanoseconds: 0), as: UTF8.self)
            == "2026-02-28T23:59:59.000000000Z")
        #expect(RotatingLogFile.rotationStamp(Date(timeIntervalSince1970: 1_475_713_029)) == "20161006-001709")
    }

    @Test func lineEncodingAndParsing() throws {
        let stamp = Array("2016-10-06T00:17:09.669794202Z".utf8)
        let encoded = CRILogLine.encode(timestamp: stamp, stream: .stderr, partial: true, content: Array("a b  c".utf8)[...])
        #expect(String(decoding: encoded, as: UTF8.self) == "2016-10-06T00:17:09.669794202Z stderr P a b  c\n")
        let line = try #require(CRILogLine.parse("2016-10-06T00:17:09.669794202Z stdout F hello world"))
        #expect(line == CRILogLine(timestamp: "2016-10-06T00:17:09.669794202Z", stream: .stdout, partial: false, content: "hello world"))
        #expect(CRILogLine.parse("2016-10-06T00:17:09.669794202Z stdout F ")?.content == "")
        #expect(CRILogLine.parse("2016-10-06T00:17:09.669794202Z stdout F")?.content == "")
        #expect(CRILogLine.parse("not a log line") == nil)
        #expect(CRILogLine.parse("ts stdin F x") == nil)
    }

    @Test func rotatedFilesSortByStampThenCounter() {
        let names = ["0.log.20260101-000001-10", "0.log.20260101-000001", "0.log.20260101-000001-2", "0.log.20251231-235959-1"]
        let sorted = names.map { "/d/" + $0 }.sorted {
            let (l, r) = (RotatingLogFile.sortKey($0), RotatingLogFile.sortKey($1))
            return l.stamp != r.stamp ? l.stamp < r.stamp : l.counter < r.counter
        }
        #expect(sorted == ["/d/0.log.20251231-235959-1", "/d/0.log.20260101-000001", "/d/0.log.20260101-000001-2", "/d/0.log.20260101-000001-10"])
    }

    @Test func rotationKeepsAtMostMaxFiles() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/0.log"
        let file = try RotatingLogFile(path: path, maxSize: 4096, maxFiles: 3)
        let entry = [UInt8](repeating: UInt8(ascii: "x"), count: 1000) + [10]
        // Many rotations within one second: the newest files must be the ones kept.
        for index in 0..<20 { try file.append(Array("\(index)".utf8) + entry) }
        let rotated = RotatingLogFile.rotatedFiles(of: path)
        #expect(rotated.count == 2)
        let firsts = try ([path] + rotated).map { try String(contentsOfFile: $0, encoding: .utf8).prefix(2) }
        #expect(firsts == ["16", "8x", "12"])
        #expect(rotated.allSatisfy { $0.hasPrefix(path + ".") })
        for file in [path] + rotated {
            let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0
            #expect(size <= 4096 && size > 0)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func pumpWritesCRILinesSplitsLongOnesAndFlushesAtEOF() async throws {
        let fixture = try PumpFixture()
        defer { fixture.remove() }
        let container = try ContainerShim.openForContainer(fixture.bundle)
        let pump = try LogPump(bundle: fixture.bundle, logPath: fixture.logPath, maxSize: 10 << 20, maxFiles: 5)
        pump.start(name: "test")
        try PosixIO.writeAll(container.stdout, Array("hello\nwor".utf8))
        try PosixIO.writeAll(container.stderr, Array("oops\n".utf8))
        try PosixIO.writeAll(container.stdout, Array("ld\n".utf8))
        try PosixIO.writeAll(container.stdout, [UInt8](repeating: UInt8(ascii: "y"), count: 40_000) + [10])
        try PosixIO.writeAll(container.stdout, Array("tail".utf8))
        PosixIO.closeQuietly(container.stdout)
        PosixIO.closeQuietly(container.stderr)
        await pump.finished()

        let lines = CRILogLine.parseAll(try String(contentsOfFile: fixture.logPath, encoding: .utf8))
        let out = lines.filter { $0.stream == .stdout }
        #expect(out.map(\.content.count) == [5, 5, 16384, 16384, 7232, 4])
        #expect(out.map(\.partial) == [false, false, true, true, false, false])
        #expect(out[0].content == "hello" && out[1].content == "world" && out[5].content == "tail")
        #expect(lines.filter { $0.stream == .stderr }.map(\.content) == ["oops"])
    }

    @Test(.timeLimit(.minutes(1)))
    func aSecondPumpTakesOverWhereTheFirstStopped() async throws {
        let fixture = try PumpFixture()
        defer { fixture.remove() }
        let container = try ContainerShim.openForContainer(fixture.bundle)
        let first = try LogPump(bundle: fixture.bundle, logPath: fixture.logPath, maxSize: 10 << 20, maxFiles: 5)
        first.start(name: "first")
        try PosixIO.writeAll(container.stdout, Array("one\npar".utf8))
        try await Self.eventually { (try? String(contentsOfFile: fixture.logPath, encoding: .utf8))?.contains("one") == true }
        await first.stop()

        // Output written while no pump reads waits in the pipe.
        try PosixIO.writeAll(container.stdout, Array("tial\ntwo\n".utf8))
        let second = try LogPump(bundle: fixture.bundle, logPath: fixture.logPath, maxSize: 10 << 20, maxFiles: 5)
        #expect(throws: RuntimeError.self) {
            try LogPump(bundle: fixture.bundle, logPath: fixture.logPath, maxSize: 10 << 20, maxFiles: 5)
        }
        second.start(name: "second")
        PosixIO.closeQuietly(container.stdout)
        PosixIO.closeQuietly(container.stderr)
        await second.finished()

        let lines = CRILogLine.parseAll(try String(contentsOfFile: fixture.logPath, encoding: .utf8))
        #expect(lines.map(\.content) == ["one", "par", "tial", "two"])
        #expect(lines.map(\.partial) == [false, true, false, false])
    }

    /// A bundle directory with FIFOs and a log path, as `ContainerRuntime.run` prepares them.
    struct PumpFixture {
        let directory: String
        let bundle: ContainerBundle
        var logPath: String { directory + "/logs/0.log" }

        init() throws {
            directory = try RuntimeLogTests.temporaryDirectory()
            bundle = ContainerBundle(directory: directory + "/bundle")
            try FileManager.default.createDirectory(atPath: bundle.directory, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
            try ContainerShim.makeFifos(bundle)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kubelet-log-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func eventually(timeout: Duration = .seconds(10), _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within \(timeout)")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
