import Foundation

/// Reads Kubernetes protobuf bodies (`application/vnd.kubernetes.protobuf`) into the same JSON object model a
/// JSON body produces, so everything after decoding (defaulting, validation, storage) is shared.
///
/// The wire form is the `k8s\0` magic followed by a `runtime.Unknown` whose `typeMeta` names the kind and whose
/// `raw` is that kind's message. Field names, nesting and JSON's treatment of zero values come from
/// `ProtobufSchema`; the handful of types with their own JSON form (times, quantities, int-or-string, raw JSON)
/// are converted here as their Go `MarshalJSON` does.
public enum KubeProtobuf {
    /// The 4-byte prefix of every Kubernetes protobuf body.
    public static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]
    /// The media type kubectl sends.
    public static let mediaType = "application/vnd.kubernetes.protobuf"

    /// Decodes a whole body into an API object carrying its `apiVersion` and `kind`.
    public static func decodeObject(_ body: [UInt8], schema: ProtobufSchema = .shared) throws -> JSONValue {
        guard body.count >= magic.count, Array(body.prefix(magic.count)) == magic else {
            throw ProtobufError("the body does not start with the Kubernetes protobuf prefix \"k8s\\x00\"")
        }
        var unknown = ProtobufReader(body[magic.count...])
        var apiVersion = "", kind = "", encoding = ""
        var raw: ArraySlice<UInt8> = []
        while !unknown.atEnd {
            let (number, wire) = try unknown.tag()
            switch (number, wire) {
            case (1, .lengthDelimited):
                var typeMeta = ProtobufReader(try unknown.lengthDelimited())
                while !typeMeta.atEnd {
                    let (field, fieldWire) = try typeMeta.tag()
                    switch (field, fieldWire) {
                    case (1, .lengthDelimited): apiVersion = try string(typeMeta.lengthDelimited(), "typeMeta.apiVersion")
                    case (2, .lengthDelimited): kind = try string(typeMeta.lengthDelimited(), "typeMeta.kind")
                    default: try typeMeta.skip(fieldWire)
                    }
                }
            case (2, .lengthDelimited): raw = try unknown.lengthDelimited()
            case (3, .lengthDelimited): encoding = try string(unknown.lengthDelimited(), "contentEncoding")
            default: try unknown.skip(wire)
            }
        }
        guard encoding.isEmpty else { throw ProtobufError("contentEncoding \"\(encoding)\" is not supported; send the object unencoded") }
        guard !kind.isEmpty, !apiVersion.isEmpty else { throw ProtobufError("the body's typeMeta has no apiVersion or kind") }
        guard let message = schema.message(apiVersion: apiVersion, kind: kind) else {
            throw ProtobufError("no protobuf schema for kind \(kind) in \(apiVersion); send this object as application/json")
        }
        var object = JSONObject()
        object["kind"] = .string(kind)
        object["apiVersion"] = .string(apiVersion)
        guard case .object(let members) = try decode(message: message, raw, schema: schema, depth: 0) else {
            throw ProtobufError("\(kind) did not decode to an object")
        }
        for (name, value) in members where name != "kind" && name != "apiVersion" { object[name] = value }
        return .object(object)
    }

    /// Decodes one message's bytes.
    public static func decode(message name: String, _ bytes: ArraySlice<UInt8>, schema: ProtobufSchema = .shared) throws -> JSONValue {
        try decode(message: name, bytes, schema: schema, depth: 0)
    }

    static let maximumDepth = 100
    static let meta = "k8s.io.apimachinery.pkg.apis.meta.v1."

    /// Types whose JSON is not an object of their fields (their Go types implement `MarshalJSON`).
    static let specialTypes: [String: @Sendable (ArraySlice<UInt8>) throws -> JSONValue] = [
        meta + "Time": { try time($0, micro: false) },
        meta + "MicroTime": { try time($0, micro: true) },
        meta + "Duration": { try duration($0) },
        meta + "FieldsV1": { try rawJSON($0) },
        "k8s.io.apimachinery.pkg.runtime.RawExtension": { try rawJSON($0) },
        "k8s.io.apimachinery.pkg.api.resource.Quantity": { try quantity($0) },
        "k8s.io.apimachinery.pkg.util.intstr.IntOrString": { try intOrString($0) },
    ]

    static func decode(message name: String, _ bytes: ArraySlice<UInt8>, schema: ProtobufSchema, depth: Int) throws -> JSONValue {
        guard depth < maximumDepth else { throw ProtobufError("objects nested deeper than \(maximumDepth) levels") }
        if let special = specialTypes[name] { return try special(bytes) }
        guard let message = schema.messages[name] else { throw ProtobufError("no protobuf schema for message \(name)") }
        var object = JSONObject()
        var reader = ProtobufReader(bytes)
        while !reader.atEnd {
            let (number, wire) = try reader.tag()
            guard let field = message.fields[number] else {
                try reader.skip(wire)
                continue
            }
            let path = "\(shortName(name)).\(field.name)"
            switch field.cardinality {
            case .optional:
                let value = try value(of: field.type, wire: wire, reader: &reader, schema: schema, depth: depth, path: path)
                if field.inline, case .object(let members) = value {
                    for (key, member) in members { object[key] = member }
                } else {
                    object[field.name] = value
                }
            case .repeated:
                var items = object[field.name]?.array ?? []
                if wire == .lengthDelimited, let packedWire = packedWireType(field.type) {
                    var packed = ProtobufReader(try reader.lengthDelimited())
                    while !packed.atEnd {
                        items.append(try value(of: field.type, wire: packedWire, reader: &packed, schema: schema, depth: depth, path: path))
                    }
                } else {
                    items.append(try value(of: field.type, wire: wire, reader: &reader, schema: schema, depth: depth, path: path))
                }
                object[field.name] = .array(items)
            case .map:
                guard wire == .lengthDelimited else { throw ProtobufError("\(path): a map entry must be length-delimited") }
                var entry = ProtobufReader(try reader.lengthDelimited())
                var key = "", entryValue: JSONValue?
                while !entry.atEnd {
                    let (entryField, entryWire) = try entry.tag()
                    switch entryField {
                    case 1:
                        let decoded = try value(of: field.keyType ?? "string", wire: entryWire, reader: &entry, schema: schema, depth: depth, path: path)
                        key = decoded.string ?? decoded.int64.map(String.init) ?? ""
                    case 2:
                        entryValue = try value(of: field.type, wire: entryWire, reader: &entry, schema: schema, depth: depth, path: path)
                    default:
                        try entry.skip(entryWire)
                    }
                }
                var map = object[field.name]?.object ?? [:]
                map[key] = try entryValue ?? zeroValue(of: field.type, schema: schema, depth: depth)
                object[field.name] = .object(map)
            }
        }
        for field in message.fields.values where field.omitsZero {
            if let value = object[field.name], isZero(value) { object[field.name] = nil }
        }
        if message.isItemsWrapper { return object["items"] ?? .array([]) }
        return .object(object)
    }

    /// One value of a scalar or message type.
    static func value(of type: String, wire: ProtobufReader.WireType, reader: inout ProtobufReader, schema: ProtobufSchema,
                      depth: Int, path: String) throws -> JSONValue {
        func expect(_ expected: ProtobufReader.WireType) throws {
            guard wire == expected else { throw ProtobufError("\(path): wire type \(wire.rawValue) where \(type) needs \(expected.rawValue)") }
        }
        switch type {
        case "string":
            try expect(.lengthDelimited)
            return .string(try string(reader.lengthDelimited(), path))
        case "bytes":
            try expect(.lengthDelimited)
            return .string(Data(try reader.lengthDelimited()).base64EncodedString())
        case "bool":
            try expect(.varint)
            return .bool(try reader.varint() != 0)
        case "int32":
            try expect(.varint)
            return .integer(Int64(Int32(truncatingIfNeeded: try reader.varint())))
        case "int64":
            try expect(.varint)
            return .integer(Int64(bitPattern: try reader.varint()))
        case "uint32":
            try expect(.varint)
            return .integer(Int64(UInt32(truncatingIfNeeded: try reader.varint())))
        case "uint64":
            try expect(.varint)
            let raw = try reader.varint()
            return raw <= UInt64(Int64.max) ? .integer(Int64(raw)) : .bigInteger(String(raw))
        case "sint32", "sint64":
            try expect(.varint)
            let raw = try reader.varint()
            return .integer(Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1))
        case "double":
            try expect(.fixed64)
            return .float(Double(bitPattern: try reader.fixed(8)))
        case "float":
            try expect(.fixed32)
            return .float(Double(Float(bitPattern: UInt32(truncatingIfNeeded: try reader.fixed(4)))))
        default:
            try expect(.lengthDelimited)
            return try decode(message: type, reader.lengthDelimited(), schema: schema, depth: depth + 1)
        }
    }

    /// The wire type of one element of a packed repeated scalar, or nil if the type cannot be packed.
    static func packedWireType(_ type: String) -> ProtobufReader.WireType? {
        switch type {
        case "bool", "int32", "int64", "uint32", "uint64", "sint32", "sint64": .varint
        case "double": .fixed64
        case "float": .fixed32
        default: nil
        }
    }

    /// What a map entry without a value means: the value type's zero.
    static func zeroValue(of type: String, schema: ProtobufSchema, depth: Int) throws -> JSONValue {
        switch type {
        case "string", "bytes": .string("")
        case "bool": .bool(false)
        case "double", "float": .float(0)
        case "int32", "int64", "uint32", "uint64", "sint32", "sint64": .integer(0)
        default: try decode(message: type, [], schema: schema, depth: depth + 1)
        }
    }

    static func isZero(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let s): s.isEmpty
        case .integer(let i): i == 0
        case .bool(let b): !b
        case .float(let d): d == 0
        default: false
        }
    }

    static func string(_ bytes: ArraySlice<UInt8>, _ path: String) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw ProtobufError("\(path): a string that is not UTF-8") }
        return text
    }

    static func shortName(_ qualified: String) -> Substring {
        qualified.split(separator: ".").last ?? Substring(qualified)
    }

    /// The varint fields of a small message (`seconds`/`nanos`, `duration`, ...), by number.
    static func varints(_ bytes: ArraySlice<UInt8>) throws -> [Int: UInt64] {
        var reader = ProtobufReader(bytes)
        var result: [Int: UInt64] = [:]
        while !reader.atEnd {
            let (number, wire) = try reader.tag()
            if wire == .varint { result[number] = try reader.varint() } else { try reader.skip(wire) }
        }
        return result
    }

    /// `metav1.Time`: an empty message is the zero time, which JSON writes as null.
    static func time(_ bytes: ArraySlice<UInt8>, micro: Bool) throws -> JSONValue {
        guard !bytes.isEmpty else { return .null }
        let fields = try varints(bytes)
        let time = KubeTime(seconds: Int64(bitPattern: fields[1] ?? 0), nanoseconds: Int32(truncatingIfNeeded: fields[2] ?? 0))
        return .string(micro ? time.rfc3339Micro : time.rfc3339)
    }

    /// `metav1.Duration`: nanoseconds, written as Go's `time.Duration.String()` ("1h2m3s", "1.5s", "300ms").
    static func duration(_ bytes: ArraySlice<UInt8>) throws -> JSONValue {
        .string(goDuration(Int64(bitPattern: try varints(bytes)[1] ?? 0)))
    }

    static func goDuration(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        let total = nanoseconds.magnitude
        func fraction(_ value: UInt64, _ scale: UInt64) -> String {
            let whole = value / scale, rest = value % scale
            guard rest != 0 else { return String(whole) }
            var digits = String(rest)
            digits = String(repeating: "0", count: String(scale).count - 1 - digits.count) + digits
            while digits.last == "0" { digits.removeLast() }
            return "\(whole).\(digits)"
        }
        if total < 1_000 { return "\(sign)\(total)ns" }
        if total < 1_000_000 { return "\(sign)\(fraction(total, 1_000))µs" }
        if total < 1_000_000_000 { return "\(sign)\(fraction(total, 1_000_000))ms" }
        let hours = total / 3_600_000_000_000, minutes = total / 60_000_000_000 % 60
        let seconds = fraction(total % 60_000_000_000, 1_000_000_000) + "s"
        if hours > 0 { return "\(sign)\(hours)h\(minutes)m\(seconds)" }
        if minutes > 0 { return "\(sign)\(minutes)m\(seconds)" }
        return sign + seconds
    }

    /// `RawExtension` and `FieldsV1` carry JSON bytes; empty means absent.
    static func rawJSON(_ bytes: ArraySlice<UInt8>) throws -> JSONValue {
        var reader = ProtobufReader(bytes)
        var raw: ArraySlice<UInt8> = []
        while !reader.atEnd {
            let (number, wire) = try reader.tag()
            if number == 1, wire == .lengthDelimited { raw = try reader.lengthDelimited() } else { try reader.skip(wire) }
        }
        guard !raw.isEmpty else { return .null }
        do {
            return try JSONValue(parsing: raw)
        } catch {
            throw ProtobufError("an embedded object is not JSON (\(error)); send the object as application/json")
        }
    }

    /// `resource.Quantity`: its canonical string; the zero quantity is "0".
    static func quantity(_ bytes: ArraySlice<UInt8>) throws -> JSONValue {
        var reader = ProtobufReader(bytes)
        var text = "0"
        while !reader.atEnd {
            let (number, wire) = try reader.tag()
            if number == 1, wire == .lengthDelimited { text = try string(reader.lengthDelimited(), "Quantity") } else { try reader.skip(wire) }
        }
        return .string(text)
    }

    /// `intstr.IntOrString`: `type` 0 is an integer (`intVal`), 1 a string (`strVal`).
    static func intOrString(_ bytes: ArraySlice<UInt8>) throws -> JSONValue {
        var reader = ProtobufReader(bytes)
        var type: UInt64 = 0, intValue: Int64 = 0, stringValue = ""
        while !reader.atEnd {
            let (number, wire) = try reader.tag()
            switch (number, wire) {
            case (1, .varint): type = try reader.varint()
            case (2, .varint): intValue = Int64(Int32(truncatingIfNeeded: try reader.varint()))
            case (3, .lengthDelimited): stringValue = try string(reader.lengthDelimited(), "IntOrString")
            default: try reader.skip(wire)
            }
        }
        return type == 1 ? .string(stringValue) : .integer(intValue)
    }
}
