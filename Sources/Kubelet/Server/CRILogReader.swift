import Foundation
import KubeAPI

/// Reads container logs in the CRI format (`2016-10-06T00:17:09.669794202Z stdout F text`, `P` for a partial
/// line) as `kubectl logs` wants them: the text only, or prefixed with the timestamp; the last N lines; and with
/// `follow`, new lines as they are written until the caller stops.
public struct CRILogReader: Sendable {
    public struct Options: Sendable, Equatable {
        public var follow = false
        public var tailLines: Int?
        public var timestamps = false
        public var limitBytes: Int?
        public var sinceTime: Date?

        public init(follow: Bool = false, tailLines: Int? = nil, timestamps: Bool = false, limitBytes: Int? = nil, sinceTime: Date? = nil) {
            self.follow = follow; self.tailLines = tailLines; self.timestamps = timestamps; self.limitBytes = limitBytes
            self.sinceTime = sinceTime
        }
    }

    public var path: String
    public var options: Options
    /// While true, a follow keeps waiting for more lines (the container may still write).
    public var stillRunning: @Sendable () async -> Bool
    public var pollInterval: Duration

    public init(path: String, options: Options, stillRunning: @escaping @Sendable () async -> Bool = { false },
                pollInterval: Duration = .milliseconds(200)) {
        self.path = path; self.options = options; self.stillRunning = stillRunning; self.pollInterval = pollInterval
    }

    /// One formatted CRI line, or nil for a malformed one.
    static func format(_ line: Substring, timestamps: Bool) -> (text: String, time: String)? {
        let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count >= 3 else { return nil }
        let content = fields.count == 4 ? String(fields[3]) : ""
        let partial = fields[2] == "P"
        let text = content + (partial ? "" : "\n")
        return (timestamps ? "\(fields[0]) \(text)" : text, String(fields[0]))
    }

    /// The log as chunks of bytes.
    public func stream() -> AsyncThrowingStream<[UInt8], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let reader = self
        let task = Task {
            do {
                try await reader.pump(continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func pump(_ continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CRILogError("log file \(path) does not exist")
        }
        defer { try? handle.close() }
        var sent = 0
        var pending = Data()
        var lines = (try handle.readToEnd() ?? Data()).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        if let tail = options.tailLines { lines = Array(lines.suffix(max(0, tail))) }
        func emit(_ raw: Data) -> Bool {
            guard let (text, time) = Self.format(Substring(String(decoding: raw, as: UTF8.self)), timestamps: options.timestamps) else { return true }
            if let since = options.sinceTime, let stamp = try? KubeTime(rfc3339: time), stamp.date < since { return true }
            var bytes = Array(text.utf8)
            if let limit = options.limitBytes {
                if sent >= limit { return false }
                bytes = Array(bytes.prefix(limit - sent))
            }
            sent += bytes.count
            continuation.yield(bytes)
            return true
        }
        for line in lines where !emit(Data(line)) { return }
        guard options.follow else { return }
        while !Task.isCancelled {
            let more = handle.availableData
            if more.isEmpty {
                if !(await stillRunning()) { return }
                try await Task.sleep(for: pollInterval)
                continue
            }
            pending.append(more)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[pending.index(after: newline)...])
                if !emit(Data(line)) { return }
            }
        }
    }
}

public struct CRILogError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
