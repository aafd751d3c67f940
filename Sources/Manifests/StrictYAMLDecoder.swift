import Foundation
import Yams

/// Decodes a YAML node into `Decodable` types and rejects any key the type does not declare.
///
/// kubeadm decodes its config strictly ("unknown field" is an error, not a silent no-op), because a typo such
/// as `podSubnett` would otherwise produce a cluster that differs from what the user asked for. Swift's
/// synthesized `CodingKeys(stringValue:)` returns nil for an undeclared key, which is exactly the test we need,
/// so strictness needs no per-type schema.
public struct StrictYAMLDecoder {
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from node: Node) throws -> T {
        try T(from: NodeDecoder(node: node, codingPath: [], userInfo: userInfo))
    }
}

/// A decoding failure with the dotted field path kubeadm users know from `strict decoding error`.
public struct FieldDecodingError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// Renders a coding path as `networking.podSubnet` / `bootstrapTokens[0].ttl`.
    public static func render(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue { out += "[\(index)]" }
            else { out += out.isEmpty ? key.stringValue : "." + key.stringValue }
        }
        return out
    }

    /// Turns any error thrown while decoding into a field-path error.
    public static func from(_ error: any Error) -> FieldDecodingError {
        if let error = error as? FieldDecodingError { return error }
        guard let error = error as? DecodingError else { return FieldDecodingError(path: "", message: "\(error)") }
        switch error {
        case .typeMismatch(let type, let context):
            return FieldDecodingError(path: render(context.codingPath), message: "expected \(describe(type)): \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            return FieldDecodingError(path: render(context.codingPath), message: "expected \(describe(type)), found null")
        case .keyNotFound(let key, let context):
            return FieldDecodingError(path: render(context.codingPath + [key]), message: "required field is missing")
        case .dataCorrupted(let context):
            return FieldDecodingError(path: render(context.codingPath), message: context.debugDescription)
        @unknown default:
            return FieldDecodingError(path: "", message: "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean (true or false)"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt16.Type: "an integer"
        case is Double.Type: "a number"
        default: "a value of type \(type)"
        }
    }
}

struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { self.stringValue = "\(intValue)"; self.intValue = intValue }
}

private struct NodeDecoder: Decoder {
    let node: Node
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    init(node: Node, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable]) {
        self.node = node
        self.codingPath = codingPath
        self.userInfo = userInfo
    }

    init(node: Node, codingPath: [any CodingKey], anyUserInfo: [CodingUserInfoKey: Any]) {
        self.node = node
        self.codingPath = codingPath
        self.userInfo = anyUserInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath,
                debugDescription: "expected a mapping (key: value pairs), found \(nodeKind(node))"))
        }
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "mapping keys must be strings"))
            }
            if Key(stringValue: key) == nil {
                throw FieldDecodingError(path: FieldDecodingError.render(codingPath + [PathKey(stringValue: key)]),
                                         message: "unknown field \"\(key)\"")
            }
            if values[key] != nil {
                throw FieldDecodingError(path: FieldDecodingError.render(codingPath + [PathKey(stringValue: key)]),
                                         message: "duplicate field \"\(key)\"")
            }
            values[key] = value
        }
        return KeyedDecodingContainer(KeyedNodeContainer<Key>(values: values, codingPath: codingPath, userInfo: userInfo))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath,
                debugDescription: "expected a list, found \(nodeKind(node))"))
        }
        return UnkeyedNodeContainer(nodes: Array(sequence), codingPath: codingPath, userInfo: userInfo)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath, userInfo: userInfo)
    }
}

private func nodeKind(_ node: Node) -> String {
    switch node {
    case .scalar(let scalar): isNull(node) ? "null" : "the scalar \"\(scalar.string)\""
    case .mapping: "a mapping"
    case .sequence: "a list"
    case .alias: "an alias"
    }
}

private func isNull(_ node: Node) -> Bool {
    guard case .scalar(let scalar) = node else { return false }
    return node.null != nil && scalar.style != .singleQuoted && scalar.style != .doubleQuoted
}

/// Reads typed scalars the way Go's YAML-to-JSON path does: quoted text is always a string, so `"6443"`
/// is not accepted where an integer is expected.
private func scalarText(_ node: Node, codingPath: [any CodingKey], as type: Any.Type, allowQuoted: Bool) throws -> String {
    guard case .scalar(let scalar) = node, !isNull(node) else {
        throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \(nodeKind(node))"))
    }
    if !allowQuoted, scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
        throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found the quoted string \"\(scalar.string)\""))
    }
    return scalar.string
}

/// The `as! T` casts below cannot fail: each sits in the `case` that matched `T`'s type.
private func decodeScalar<T: Decodable>(_ type: T.Type, node: Node, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) throws -> T {
    func mismatch(_ text: String) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \"\(text)\""))
    }
    switch type {
    case is String.Type:
        if case .scalar(let scalar) = node, !isNull(node) { return scalar.string as! T }
        throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \(nodeKind(node))"))
    case is Bool.Type:
        let text = try scalarText(node, codingPath: codingPath, as: type, allowQuoted: false)
        switch text.lowercased() {
        case "true": return true as! T
        case "false": return false as! T
        default: throw mismatch(text)
        }
    case is Int.Type:
        let text = try scalarText(node, codingPath: codingPath, as: type, allowQuoted: false)
        guard let value = Int(text) else { throw mismatch(text) }
        return value as! T
    case is Int32.Type:
        let text = try scalarText(node, codingPath: codingPath, as: type, allowQuoted: false)
        guard let value = Int32(text) else { throw mismatch(text) }
        return value as! T
    case is Int64.Type:
        let text = try scalarText(node, codingPath: codingPath, as: type, allowQuoted: false)
        guard let value = Int64(text) else { throw mismatch(text) }
        return value as! T
    case is Double.Type:
        let text = try scalarText(node, codingPath: codingPath, as: type, allowQuoted: false)
        guard let value = Double(text) else { throw mismatch(text) }
        return value as! T
    default:
        return try T(from: NodeDecoder(node: node, codingPath: codingPath, anyUserInfo: userInfo))
    }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let values: [String: Node]
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    var allKeys: [Key] { values.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

    private func node(_ key: Key) throws -> Node {
        guard let node = values[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return node
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let node = values[key.stringValue] else { return true }
        return isNull(node)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let node = try node(key)
        if isNull(node), !(type is any ExpressibleByNilLiteral.Type) {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "null"))
        }
        return try decodeScalar(type, node: node, codingPath: codingPath + [key], userInfo: userInfo)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoder(node: node(key), codingPath: codingPath + [key], anyUserInfo: userInfo).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try NodeDecoder(node: node(key), codingPath: codingPath + [key], anyUserInfo: userInfo).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        // Config types never use class inheritance; a strict "super" key would not exist, so say so instead of trapping.
        guard let key = Key(stringValue: "super") else {
            throw DecodingError.keyNotFound(PathKey(stringValue: "super"), .init(codingPath: codingPath, debugDescription: "no super decoder"))
        }
        return try superDecoder(forKey: key)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        NodeDecoder(node: values[key.stringValue] ?? Node("~", Tag(.null)), codingPath: codingPath + [key], anyUserInfo: userInfo)
    }
}

private struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let nodes: [Node]
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]
    var currentIndex = 0

    init(nodes: [Node], codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: Any]) {
        self.nodes = nodes
        self.codingPath = codingPath
        self.userInfo = userInfo
    }

    var count: Int? { nodes.count }
    var isAtEnd: Bool { currentIndex >= nodes.count }

    private var currentPath: [any CodingKey] { codingPath + [PathKey(intValue: currentIndex)] }

    private mutating func next() throws -> Node {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: currentPath, debugDescription: "list is shorter than expected"))
        }
        defer { currentIndex += 1 }
        return nodes[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if isNull(nodes[currentIndex]) { currentIndex += 1; return true }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let path = currentPath
        let node = try next()
        return try decodeScalar(type, node: node, codingPath: path, userInfo: userInfo)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let path = currentPath
        return try NodeDecoder(node: next(), codingPath: path, anyUserInfo: userInfo).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let path = currentPath
        return try NodeDecoder(node: next(), codingPath: path, anyUserInfo: userInfo).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let path = currentPath
        return try NodeDecoder(node: next(), codingPath: path, anyUserInfo: userInfo)
    }
}

private struct SingleNodeContainer: SingleValueDecodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    func decodeNil() -> Bool { isNull(node) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeScalar(type, node: node, codingPath: codingPath, userInfo: userInfo)
    }
}
