import Foundation
import HTTPTransport
import NIOCore
import NIOPosix
import Testing
@testable import APIServer

/// The SPDY/3.1 pieces of the exec bridge: the header dictionary, compressed name/value blocks, frames both ways,
/// and the client-side WebSocket framing towards the kubelet.
struct SpdyFramesTests {
    @Test func theDictionaryIsTheSpecsByteForByte() {
        // Its length and the Adler-32 zlib records as the dictionary id (what kubectl's inflater checks).
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in SpdyHeaderCodec.dictionary {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        #expect(SpdyHeaderCodec.dictionary.count == 1423)
        #expect(b << 16 | a == 0xe3c6_a7c2)
    }

    /// A SYN_STREAM as kubectl writes it: header block compressed with one zlib context across frames.
    static func synStream(_ id: UInt32, _ headers: [String: String], compressor: SpdyHeaderCodec.Deflater) throws -> [UInt8] {
        let block = try compressor.deflate(SpdyHeaderCodec.encode(headers))
        let body = SpdyFrameWriter.bytes(id) + [0, 0, 0, 0, 0, 0] + block
        return [0x80, 3, 0, 1, 0] + SpdyFrameWriter.length(body.count) + body
    }

    @Test func synStreamsAndDataAreReadAcrossChunkBoundaries() throws {
        let compressor = SpdyHeaderCodec.Deflater()
        let writer = SpdyFrameWriter()
        var bytes = try Self.synStream(1, ["streamType": "error"], compressor: compressor)
        bytes += try Self.synStream(3, ["streamtype": "stdin"], compressor: compressor)
        bytes += writer.data(streamID: 3, Array("abc".utf8)[...])
        bytes += writer.data(streamID: 3, [][...], fin: true)
        bytes += writer.ping(id: 7)
        var reader = SpdyFrameReader()
        var frames: [SpdyFrame] = []
        for start in stride(from: 0, to: bytes.count, by: 5) {
            reader.append(Array(bytes[start..<min(start + 5, bytes.count)]))
            while let frame = try reader.next() { frames.append(frame) }
        }
        #expect(frames == [.synStream(streamID: 1, headers: ["streamtype": "error"]), .synStream(streamID: 3, headers: ["streamtype": "stdin"]),
                           .data(streamID: 3, fin: false, payload: Array("abc".utf8)), .data(streamID: 3, fin: true, payload: []), .ping(id: 7)])
    }

    @Test func synRepliesCarryAnEmptyCompressedHeaderBlock() throws {
        let reply = try SpdyFrameWriter().synReply(streamID: 5)
        #expect(Array(reply[0..<5]) == [0x80, 3, 0, 2, 0])
        #expect(SpdyFrameReader.word(reply, 8) == 5)
        let inflated = try SpdyHeaderCodec.Inflater().inflate(Array(reply[12...]))
        #expect(try SpdyHeaderCodec.decode(inflated) == [:])
    }

    @Test func aWrongVersionOrHugeFrameEndsTheSession() {
        var reader = SpdyFrameReader()
        reader.append([0x80, 2, 0, 1, 0, 0, 0, 0])
        #expect(throws: SpdyError.self) { try reader.next() }
        var huge = SpdyFrameReader()
        huge.append([0, 0, 0, 1, 0, 0xff, 0xff, 0xff])
        #expect(throws: SpdyError.self) { try huge.next() }
    }

    @Test func webSocketClientFramesAreMaskedAndReadBack() {
        let payload = Array(repeating: UInt8(7), count: 300)
        let frame = WebSocketClientFrames.frame(opcode: 2, payload)
        #expect(frame[0] == 0x82 && frame[1] == 0x80 | 126)
        var reader = WebSocketClientFrames.Reader()
        reader.append(Array(frame.prefix(100)))
        #expect(reader.next() == nil)
        reader.append(Array(frame.dropFirst(100)) + [0x88, 0x00])
        #expect(reader.next() == .data(payload))
        #expect(reader.next() == .close)
    }

    @Test func channelsFollowTheQuery() {
        #expect(SpdyExecBridge.expectedChannels([("stdout", "true"), ("stderr", "true")]) == [1, 2, 3])
        #expect(SpdyExecBridge.expectedChannels([("stdin", "true"), ("stdout", "true"), ("tty", "true"), ("stderr", "true")]) == [0, 1, 3, 4])
    }
}

/// Port forwarding end to end in-process: kubectl's frames in, a real TCP echo server on 127.0.0.1 as the pod.
struct SpdyPortForwardTests {
    final class Outbox: @unchecked Sendable {
        let lock = NSLock()
        var bytes: [UInt8] = []
        func append(_ more: [UInt8]) { lock.lock(); bytes += more; lock.unlock() }
        var snapshot: [UInt8] { lock.lock(); defer { lock.unlock() }; return bytes }
    }

    /// Reads the server's frames (no compressed headers in them besides SYN_REPLY blocks, which are skipped).
    static func frames(_ bytes: [UInt8]) -> [(stream: UInt32, fin: Bool, data: [UInt8])] {
        var out: [(UInt32, Bool, [UInt8])] = []
        var index = 0
        while index + 8 <= bytes.count {
            let length = Int(bytes[index + 5]) << 16 | Int(bytes[index + 6]) << 8 | Int(bytes[index + 7])
            guard index + 8 + length <= bytes.count else { break }
            if bytes[index] & 0x80 == 0 {
                out.append((SpdyFrameReader.word(bytes, index) & 0x7fff_ffff, bytes[index + 4] & 1 == 1, Array(bytes[(index + 8)..<(index + 8 + length)])))
            }
            index += 8 + length
        }
        return out
    }

    @Test func aConnectionIsCarriedToThePodPortAndEndsWithFins() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let server = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        let port = try #require(server.channel.localAddress?.port)
        let serving = Task {
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    try await connection.executeThenClose { inbound, outbound in
                        for try await buffer in inbound {
                            try await outbound.write(ByteBuffer(bytes: Array("echo:".utf8) + Array(buffer.readableBytesView)))
                            return
                        }
                    }
                }
            }
        }
        defer { serving.cancel() }

        let compressor = SpdyHeaderCodec.Deflater()
        let writer = SpdyFrameWriter()
        var input = try SpdyFramesTests.synStream(1, ["streamType": "error", "port": "\(port)", "requestID": "0"], compressor: compressor)
        input += try SpdyFramesTests.synStream(3, ["streamType": "data", "port": "\(port)", "requestID": "0"], compressor: compressor)
        input += writer.data(streamID: 3, Array("hi".utf8)[...])
        let (inbound, feed) = AsyncStream<[UInt8]>.makeStream()
        feed.yield(input)
        let outbox = Outbox()
        let client = ByteStream(inbound: inbound, write: { outbox.append($0) }, close: { feed.finish() })
        let session = Task { await SpdyPortForward(client: client, podIP: "127.0.0.1", podName: "p").run() }
        var data: [(stream: UInt32, fin: Bool, data: [UInt8])] = []
        for _ in 0..<200 {
            data = Self.frames(outbox.snapshot)
            if data.filter(\.fin).count == 2 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        feed.finish()
        await session.value
        #expect(data.filter { $0.stream == 3 }.flatMap(\.data) == Array("echo:hi".utf8))
        #expect(Set(data.filter(\.fin).map(\.stream)) == [1, 3])
        let errors = data.filter { $0.stream == 1 }.flatMap(\.data)
        #expect(errors.isEmpty, "no error on the error stream")
    }
}
