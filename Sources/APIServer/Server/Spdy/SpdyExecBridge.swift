import Foundation
import HTTPTransport
import Synchronization

/// Carries a SPDY/3.1 remote-command session (kubectl 1.27–1.29 `exec`, `cp`, `attach`; protocol
/// `v4.channel.k8s.io`) to the kubelet's WebSocket (`v5.channel.k8s.io`, which it already serves for newer
/// kubectl): upstream's API server translates the other way round, but the channels are the same. The client opens
/// one SPDY stream per channel, named by its `streamType` header (error, stdin, stdout, stderr, resize); each gets a
/// SYN_REPLY, and data moves between a stream and its WebSocket channel. Output the kubelet sends before the client
/// has opened that stream waits. When the kubelet ends the session (after the Status on the error channel), every
/// stream gets a FIN, which is how kubectl learns the command is over.
actor SpdyExecBridge {
    static let protocolVersion = "v4.channel.k8s.io"
    static let channels: [String: UInt8] = ["stdin": 0, "stdout": 1, "stderr": 2, "error": 3, "resize": 4]

    private let client: ByteStream
    private let kubelet: ByteStream
    private let writer = SpdyFrameWriter()
    /// The channels the request asked for; the session ends only once the client has opened each of them.
    private let expected: Set<UInt8>
    private var streams: [UInt8: UInt32] = [:]
    private var pending: [UInt8: [[UInt8]]] = [:]
    private var lastStreamID: UInt32 = 0
    private var clientGone = false
    private var clientEnded = false

    init(client: ByteStream, kubelet: ByteStream, expected: Set<UInt8>) {
        self.client = client
        self.kubelet = kubelet
        self.expected = expected
    }

    /// The channels an exec/attach query opens (`stdin`, `stdout`, `stderr`, `tty` as kubectl sends them).
    static func expectedChannels(_ query: [(name: String, value: String)]) -> Set<UInt8> {
        let isTrue = { (name: String) in ["1", "true"].contains(query.last { $0.name == name }?.value.lowercased() ?? "") }
        var channels: Set<UInt8> = [3]
        if isTrue("stdin") { channels.insert(0) }
        if isTrue("stdout") { channels.insert(1) }
        if isTrue("stderr") && !isTrue("tty") { channels.insert(2) }
        if isTrue("tty") { channels.insert(4) }
        return channels
    }

    /// Runs until both sides are done, then closes both connections.
    func run() async {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.readClient(); return true }
            group.addTask { await self.readKubelet(); return false }
            if let first = await group.next(), !first {
                // The kubelet finished and every stream has its FIN: give kubectl a moment to read and hang up.
                let deadline = ContinuousClock.now + .seconds(5)
                while !clientEnded && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
            }
            client.close()
            kubelet.close()
            group.cancelAll()
        }
    }

    private func readClient() async {
        defer { clientEnded = true }
        var reader = SpdyFrameReader()
        for await chunk in client.inbound {
            reader.append(chunk)
            do {
                while let frame = try reader.next() {
                    guard await handle(frame) else { return }
                }
            } catch {
                return
            }
        }
    }

    /// Acts on one client frame; false ends the session.
    private func handle(_ frame: SpdyFrame) async -> Bool {
        switch frame {
        case .synStream(let streamID, let headers):
            lastStreamID = max(lastStreamID, streamID)
            guard let channel = headers["streamtype"].flatMap({ Self.channels[$0] }) else { return true }
            streams[channel] = streamID
            guard let reply = try? writer.synReply(streamID: streamID) else { return false }
            await send(reply)
            for data in pending.removeValue(forKey: channel) ?? [] { await send(writer.data(streamID: streamID, data[...])) }
        case .data(let streamID, let fin, let payload):
            guard let channel = streams.first(where: { $0.value == streamID })?.key, channel == 0 || channel == 4 else { return true }
            if !payload.isEmpty { await toKubelet([channel] + payload) }
            if fin && channel == 0 { await toKubelet([255, 0]) }  // v5: stdin is closed
        case .ping(let id):
            await send(writer.ping(id: id))
        case .rstStream, .goAway:
            return false
        case .ignored:
            break
        }
        return true
    }

    private func readKubelet() async {
        var reader = WebSocketClientFrames.Reader()
        reading: for await chunk in kubelet.inbound {
            reader.append(chunk)
            while let message = reader.next() {
                switch message {
                case .data(let bytes):
                    guard let channel = bytes.first else { continue }
                    await output(channel, Array(bytes.dropFirst()))
                case .ping(let payload):
                    try? await kubelet.write(WebSocketClientFrames.frame(opcode: 0xA, payload))
                case .close:
                    break reading
                }
            }
        }
        await finish()
    }

    private func output(_ channel: UInt8, _ data: [UInt8]) async {
        guard !data.isEmpty else { return }
        if let streamID = streams[channel] {
            await send(writer.data(streamID: streamID, data[...]))
        } else {
            pending[channel, default: []].append(data)
        }
    }

    /// Waits (up to 10 s) for the client to have opened every stream it asked for, flushes what waited, and ends
    /// each stream.
    private func finish() async {
        let deadline = ContinuousClock.now + .seconds(10)
        while !expected.isSubset(of: Set(streams.keys)) && !clientGone && !clientEnded && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for (channel, streamID) in streams.sorted(by: { $0.key > $1.key }) where channel != 0 && channel != 4 {
            for data in pending.removeValue(forKey: channel) ?? [] { await send(writer.data(streamID: streamID, data[...])) }
            await send(writer.data(streamID: streamID, [][...], fin: true))
        }
        await send(writer.goAway(lastStreamID: lastStreamID))
    }

    private func send(_ frame: [UInt8]) async {
        guard !clientGone else { return }
        do { try await client.write(frame) } catch { clientGone = true }
    }

    private func toKubelet(_ message: [UInt8]) async {
        try? await kubelet.write(WebSocketClientFrames.frame(opcode: 0x2, message))
    }
}

/// The client side of RFC 6455 framing, for the API server's WebSocket to a kubelet: frames it sends are masked,
/// frames it receives are not.
enum WebSocketClientFrames {
    enum Message: Equatable {
        case data([UInt8])
        case ping([UInt8])
        case close
    }

    static func frame(opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0x80 | opcode]
        switch payload.count {
        case ..<126: frame.append(0x80 | UInt8(payload.count))
        case ..<65536: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        default: frame += [0x80 | 127] + (0..<8).reversed().map { UInt8(UInt64(payload.count) >> (UInt64($0) * 8) & 0xff) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return frame
    }

    /// Reassembles messages (fragments joined) from the kubelet's bytes.
    struct Reader {
        private var buffer: [UInt8] = []
        private var fragments: [UInt8] = []

        mutating func append(_ bytes: [UInt8]) { buffer += bytes }

        mutating func next() -> Message? {
            while buffer.count >= 2 {
                let fin = buffer[0] & 0x80 != 0
                let opcode = buffer[0] & 0x0f
                let masked = buffer[1] & 0x80 != 0
                var length = Int(buffer[1] & 0x7f)
                var offset = 2
                if length == 126 {
                    guard buffer.count >= 4 else { return nil }
                    length = Int(buffer[2]) << 8 | Int(buffer[3])
                    offset = 4
                } else if length == 127 {
                    guard buffer.count >= 10 else { return nil }
                    length = (2..<10).reduce(0) { $0 << 8 | Int(buffer[$1]) }
                    offset = 10
                }
                let maskOffset = offset
                if masked { offset += 4 }
                guard buffer.count >= offset + length else { return nil }
                var payload = Array(buffer[offset..<(offset + length)])
                if masked {
                    let mask = Array(buffer[maskOffset..<(maskOffset + 4)])
                    payload = payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
                }
                buffer.removeFirst(offset + length)
                switch opcode {
                case 0x8: return .close
                case 0x9: return .ping(payload)
                case 0xA: continue
                case 0x0, 0x1, 0x2:
                    fragments += payload
                    if fin {
                        defer { fragments = [] }
                        return .data(fragments)
                    }
                default: continue
                }
            }
            return nil
        }
    }
}
