import CZlib

/// SPDY/3.1 as kubectl 1.27–1.29 speak it for exec and cp (client-go's spdystream): frames read from a byte buffer
/// and the few the server writes. Only what a remote-command session needs: SYN_STREAM in, SYN_REPLY, DATA, PING
/// and GOAWAY out; other control frames are read and ignored.
enum SpdyFrame: Equatable {
    case synStream(streamID: UInt32, headers: [String: String])
    case data(streamID: UInt32, fin: Bool, payload: [UInt8])
    case rstStream(streamID: UInt32)
    case ping(id: UInt32)
    case goAway
    /// SETTINGS, WINDOW_UPDATE, HEADERS, ...: nothing a remote-command server acts on.
    case ignored(type: UInt16)

    static let version: UInt16 = 3
    static let flagFin: UInt8 = 0x01
}

struct SpdyError: Error, CustomStringConvertible {
    var description: String
}

/// Splits the inbound byte stream into frames, inflating SYN_STREAM header blocks through the connection's one
/// zlib stream (each side compresses all its header blocks with one context, primed with the SPDY/3 dictionary).
struct SpdyFrameReader {
    private var buffer: [UInt8] = []
    private let headers = SpdyHeaderCodec.Inflater()
    /// A frame larger than this ends the session (kubectl copies in 32 KiB pieces, so its frames are far smaller).
    static let maxFrameLength = 1 << 20

    mutating func append(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

    /// The next complete frame, nil when more bytes are needed.
    mutating func next() throws -> SpdyFrame? {
        guard buffer.count >= 8 else { return nil }
        let length = Int(buffer[5]) << 16 | Int(buffer[6]) << 8 | Int(buffer[7])
        guard length <= Self.maxFrameLength else { throw SpdyError(description: "SPDY frame of \(length) bytes is too large") }
        guard buffer.count >= 8 + length else { return nil }
        let head = Array(buffer[0..<8])
        let body = Array(buffer[8..<(8 + length)])
        buffer.removeFirst(8 + length)
        let flags = head[4]
        if head[0] & 0x80 == 0 {
            let streamID = Self.word(head, 0) & 0x7fff_ffff
            return .data(streamID: streamID, fin: flags & SpdyFrame.flagFin != 0, payload: body)
        }
        let version = UInt16(head[0] & 0x7f) << 8 | UInt16(head[1])
        guard version == SpdyFrame.version else { throw SpdyError(description: "SPDY version \(version) is not supported (3 is)") }
        let type = UInt16(head[2]) << 8 | UInt16(head[3])
        switch type {
        case 1:  // SYN_STREAM: stream id, associated id, priority and slot, then the header block
            guard body.count >= 10 else { throw SpdyError(description: "short SYN_STREAM frame") }
            let streamID = Self.word(body, 0) & 0x7fff_ffff
            return .synStream(streamID: streamID, headers: try SpdyHeaderCodec.decode(headers.inflate(Array(body[10...]))))
        case 3:
            guard body.count >= 4 else { throw SpdyError(description: "short RST_STREAM frame") }
            return .rstStream(streamID: Self.word(body, 0) & 0x7fff_ffff)
        case 6:
            guard body.count >= 4 else { throw SpdyError(description: "short PING frame") }
            return .ping(id: Self.word(body, 0))
        case 7:
            return .goAway
        default:
            return .ignored(type: type)
        }
    }

    static func word(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }
}

/// The frames the server writes.
struct SpdyFrameWriter {
    private let headers = SpdyHeaderCodec.Deflater()

    func synReply(streamID: UInt32) throws -> [UInt8] {
        control(type: 2, flags: 0, body: Self.bytes(streamID & 0x7fff_ffff) + (try headers.deflate(SpdyHeaderCodec.encode([:]))))
    }

    func data(streamID: UInt32, _ payload: ArraySlice<UInt8>, fin: Bool = false) -> [UInt8] {
        var frame = Self.bytes(streamID & 0x7fff_ffff)
        frame.append(fin ? SpdyFrame.flagFin : 0)
        frame += Self.length(payload.count)
        frame += payload
        return frame
    }

    func ping(id: UInt32) -> [UInt8] { control(type: 6, flags: 0, body: Self.bytes(id)) }

    func goAway(lastStreamID: UInt32) -> [UInt8] { control(type: 7, flags: 0, body: Self.bytes(lastStreamID) + Self.bytes(0)) }

    private func control(type: UInt16, flags: UInt8, body: [UInt8]) -> [UInt8] {
        [0x80, UInt8(SpdyFrame.version), UInt8(type >> 8), UInt8(type & 0xff), flags] + Self.length(body.count) + body
    }

    static func bytes(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }
    static func length(_ value: Int) -> [UInt8] { [UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }
}

/// SPDY/3 name/value header blocks: a count, then length-prefixed names and values (several values joined by NUL),
/// compressed with zlib and the protocol's fixed dictionary.
enum SpdyHeaderCodec {
    static func encode(_ headers: [String: String]) -> [UInt8] {
        var out = SpdyFrameWriter.bytes(UInt32(headers.count))
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            out += SpdyFrameWriter.bytes(UInt32(name.utf8.count)) + Array(name.utf8)
            out += SpdyFrameWriter.bytes(UInt32(value.utf8.count)) + Array(value.utf8)
        }
        return out
    }

    /// Names lowercased, as SPDY requires; repeated values joined by NUL are kept as sent.
    static func decode(_ block: [UInt8]) throws -> [String: String] {
        var index = 0
        func word() throws -> Int {
            guard index + 4 <= block.count else { throw SpdyError(description: "truncated SPDY header block") }
            defer { index += 4 }
            return Int(SpdyFrameReader.word(block, index))
        }
        func string() throws -> String {
            let length = try word()
            guard length <= block.count - index else { throw SpdyError(description: "truncated SPDY header block") }
            defer { index += length }
            return String(decoding: block[index..<(index + length)], as: UTF8.self)
        }
        var headers: [String: String] = [:]
        for _ in 0..<(try word()) {
            let name = try string().lowercased()
            headers[name] = try string()
        }
        return headers
    }

    /// The SPDY/3 compression dictionary (draft-mbelshe-httpbis-spdy-00, 2.6.10.1): common header names and values
    /// as length-prefixed strings, then a run of common value text.
    static let dictionary: [UInt8] = {
        let words = [
            "options", "head", "post", "put", "delete", "trace", "accept", "accept-charset", "accept-encoding", "accept-language",
            "accept-ranges", "age", "allow", "authorization", "cache-control", "connection", "content-base", "content-encoding",
            "content-language", "content-length", "content-location", "content-md5", "content-range", "content-type", "date",
            "etag", "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range",
            "if-unmodified-since", "last-modified", "location", "max-forwards", "pragma", "proxy-authenticate",
            "proxy-authorization", "range", "referer", "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade",
            "user-agent", "vary", "via", "warning", "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1",
            "url", "public", "set-cookie", "keep-alive", "origin",
        ]
        let tail = "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
            + "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized"
            + "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable"
            + "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
            + "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,"
            + "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0."
        return words.flatMap { SpdyFrameWriter.bytes(UInt32($0.utf8.count)) + Array($0.utf8) } + Array(tail.utf8)
    }()

    /// The inflating half: one zlib stream for the whole connection.
    final class Inflater: @unchecked Sendable {
        private var stream = z_stream()
        private var ready = false

        init() {}

        deinit { if ready { inflateEnd(&stream) } }

        func inflate(_ input: [UInt8]) throws -> [UInt8] {
            if !ready {
                guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                    throw SpdyError(description: "zlib inflateInit failed")
                }
                ready = true
            }
            var input = input
            var output: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            try input.withUnsafeMutableBufferPointer { inBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                while true {
                    let (status, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                        stream.next_out = out.baseAddress
                        stream.avail_out = UInt32(out.count)
                        var status = CZlib.inflate(&stream, Z_SYNC_FLUSH)
                        if status == Z_NEED_DICT {
                            status = Self.dictionaryBytes.withUnsafeBufferPointer {
                                inflateSetDictionary(&stream, $0.baseAddress, UInt32($0.count))
                            }
                            if status == Z_OK { status = CZlib.inflate(&stream, Z_SYNC_FLUSH) }
                        }
                        return (status, out.count - Int(stream.avail_out))
                    }
                    output += chunk[0..<produced]
                    if status == Z_BUF_ERROR || (status == Z_OK && stream.avail_in == 0 && stream.avail_out > 0) { break }
                    guard status == Z_OK || status == Z_STREAM_END else {
                        throw SpdyError(description: "corrupt SPDY header block (zlib status \(status))")
                    }
                    if status == Z_STREAM_END { break }
                }
                stream.next_in = nil
            }
            return output
        }

        static let dictionaryBytes = SpdyHeaderCodec.dictionary
    }

    /// The deflating half: one zlib stream for the whole connection, each block ended with a sync flush.
    final class Deflater: @unchecked Sendable {
        private var stream = z_stream()
        private var ready = false

        init() {}

        deinit { if ready { deflateEnd(&stream) } }

        func deflate(_ input: [UInt8]) throws -> [UInt8] {
            if !ready {
                guard deflateInit_(&stream, Z_DEFAULT_COMPRESSION, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK,
                      SpdyHeaderCodec.dictionary.withUnsafeBufferPointer({ deflateSetDictionary(&stream, $0.baseAddress, UInt32($0.count)) }) == Z_OK
                else { throw SpdyError(description: "zlib deflateInit failed") }
                ready = true
            }
            var input = input
            var output: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            input.withUnsafeMutableBufferPointer { inBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                repeat {
                    let produced = chunk.withUnsafeMutableBufferPointer { out -> Int in
                        stream.next_out = out.baseAddress
                        stream.avail_out = UInt32(out.count)
                        _ = CZlib.deflate(&stream, Z_SYNC_FLUSH)
                        return out.count - Int(stream.avail_out)
                    }
                    output += chunk[0..<produced]
                } while stream.avail_out == 0
                stream.next_in = nil
            }
            return output
        }
    }
}
