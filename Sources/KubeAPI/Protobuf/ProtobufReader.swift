/// A protobuf wire-format reader over a byte slice: varints, fixed 32/64-bit values and length-delimited
/// fields, with bounds checked on every read (bodies come from clients).
struct ProtobufReader {
    enum WireType: Int { case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5 }

    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    var atEnd: Bool { index >= bytes.endIndex }

    /// The next field's number and wire type.
    mutating func tag() throws -> (number: Int, wire: WireType) {
        let key = try varint()
        let number = Int(key >> 3)
        guard number > 0, number <= 536_870_911, let wire = WireType(rawValue: Int(key & 7)) else {
            throw ProtobufError("invalid field key \(key) at byte \(index - bytes.startIndex)")
        }
        return (number, wire)
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex else { throw ProtobufError("truncated varint") }
            let byte = bytes[index]
            index += 1
            guard shift < 64 else { throw ProtobufError("varint longer than 10 bytes") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func fixed(_ width: Int) throws -> UInt64 {
        guard bytes.endIndex - index >= width else { throw ProtobufError("truncated \(width * 8)-bit value") }
        var result: UInt64 = 0
        for offset in 0..<width { result |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
        index += width
        return result
    }

    mutating func lengthDelimited() throws -> ArraySlice<UInt8> {
        let length = try varint()
        guard length <= UInt64(bytes.endIndex - index) else { throw ProtobufError("length \(length) runs past the end of the body") }
        let start = index
        index += Int(length)
        return bytes[start..<index]
    }

    /// Skips a field this schema does not know (newer clients may send fields this server predates).
    mutating func skip(_ wire: WireType) throws {
        switch wire {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed(8)
        case .fixed32: _ = try fixed(4)
        case .lengthDelimited: _ = try lengthDelimited()
        case .startGroup, .endGroup: throw ProtobufError("groups are not used by Kubernetes types")
        }
    }
}

/// A body that is not valid Kubernetes protobuf; the message says where.
public struct ProtobufError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
