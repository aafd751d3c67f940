/// Splits a byte stream into top-level JSON documents. Watch streams put one event per line, but a chunk may end
/// mid-event and some servers omit the newline, so documents are found by bracket depth (outside strings), not
/// by line breaks.
struct JSONStreamFramer {
    private var buffer: [UInt8] = []
    private var scanned = 0
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var start: Int?

    /// Largest document accepted; a server that never closes an object must not grow memory without bound.
    static let maxDocumentBytes = 64 * 1024 * 1024

    /// Adds bytes and returns every document they complete.
    mutating func append(_ bytes: some Sequence<UInt8>) throws -> [[UInt8]] {
        buffer.append(contentsOf: bytes)
        var documents: [[UInt8]] = []
        var index = scanned
        while index < buffer.count {
            let byte = buffer[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else {
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    if depth == 0 { start = index }
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0, let begin = start {
                        documents.append(Array(buffer[begin...index]))
                        start = nil
                    } else if depth < 0 {
                        throw KubeClientError.invalidResponse("unbalanced JSON in the watch stream")
                    }
                case UInt8(ascii: "\""):
                    inString = true
                default:
                    break
                }
            }
            index += 1
        }
        // Keep only the unfinished document.
        if let begin = start {
            buffer.removeFirst(begin)
            start = 0
            scanned = buffer.count
            if buffer.count > Self.maxDocumentBytes {
                throw KubeClientError.invalidResponse("a watch event larger than \(Self.maxDocumentBytes) bytes")
            }
        } else {
            buffer.removeAll(keepingCapacity: true)
            scanned = 0
        }
        return documents
    }
}
