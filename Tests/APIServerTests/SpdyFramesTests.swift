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
