import OrderedCollections

/// The members of a JSON object, in the order the client sent them.
public typealias JSONObject = OrderedDictionary<String, JSONValue>

/// A lossless JSON value: the API server's working form of every object it stores.
///
/// It keeps every field a client sent (including ones no schema knows), the key order of objects, and numbers
/// exactly: integers that fit in 64 bits are `.integer`, larger ones keep their digits in `.bigInteger`, and only
/// numbers written with a fraction or exponent become `.float`. That way a stored object serialises back the way it
/// came in, and `replicas: 3` is never re-emitted as `3.0`.
///
/// Equality is semantic: objects compare by their members regardless of key order; arrays compare in order;
/// `.integer(1)` and `.float(1)` are different values (as `int64` and `float64` are in Go's unstructured objects).
public enum JSONValue: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer that fits in `Int64`.
    case integer(Int64)
    /// An integer too large for `Int64`, kept as its canonical decimal text (e.g. "-18446744073709551616").
    case bigInteger(String)
    /// A number written with a fraction or an exponent.
    case float(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, keeping member order.
    case object(JSONObject)

    /// An empty object, the usual starting point when building an API object.
    public static var emptyObject: JSONValue { .object([:]) }
}

// MARK: - Typed views

extension JSONValue {
    /// The string, if this is a string.
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    /// The boolean, if this is a boolean.
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The integer, if this is an integer that fits in `Int64` (a float with an integral value also counts,
    /// because clients such as Python's may send `3.0` for an integer field).
    public var int64: Int64? {
        switch self {
        case .integer(let i): return i
        case .float(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }
    /// The integer as `Int`, if it fits.
    public var int: Int? { int64.flatMap { Int(exactly: $0) } }
    /// The number as a `Double`, for any numeric case.
    public var double: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .float(let d): d
        case .bigInteger(let s): Double(s)
        default: nil
        }
    }
    /// The elements, if this is an array.
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    /// The members, if this is an object.
    public var object: JSONObject? { if case .object(let o) = self { o } else { nil } }
    /// Whether this is `null`.
    public var isNull: Bool { if case .null = self { true } else { false } }
    /// Whether this is a number of any kind.
    public var isNumber: Bool {
        switch self {
        case .integer, .bigInteger, .float: true
        default: false
        }
    }

    /// A short name of the JSON type, for error messages ("object", "array", "string", ...).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .bigInteger, .float: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

// MARK: - Subscripts and paths

extension JSONValue {
    /// The member `key` of an object; nil for a missing key or a non-object.
    ///
    /// Setting a member on a non-object turns the value into an object holding just that member, so a path can be
    /// built up from `.null`; setting nil removes the member.
    /// - Parameters:
    ///   - key: the member name.
    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let o) = self { return o[key] }
            return nil
        }
        set {
            var members: JSONObject
            if case .object(let o) = self { members = o } else { members = [:] }
            self = .null  // drop our reference so `members` is uniquely owned and mutated in place
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The element at `index` of an array; nil if out of range or not an array.
    /// - Parameters:
    ///   - index: a zero-based position.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The value at a path of object member names, e.g. `value[path: ["metadata", "name"]]`.
    ///
    /// Setting creates intermediate objects as needed; setting nil removes the last member.
    /// - Parameters:
    ///   - path: member names from the root.
    public subscript(path path: [String]) -> JSONValue? {
        get {
            var current: JSONValue? = self
            for key in path { current = current?[key] }
            return current
        }
        set {
            guard let first = path.first else {
                self = newValue ?? .null
                return
            }
            if path.count == 1 {
                self[first] = newValue
                return
            }
            var child = self[first] ?? .null
            child[path: Array(path.dropFirst())] = newValue
            self[first] = child
        }
    }

    /// The value at a dotted field path such as "spec.nodeName" (no escaping: Kubernetes field paths never contain
    /// dots inside a member name).
    /// - Parameters:
    ///   - dottedPath: member names joined by ".".
    public func value(atDottedPath dottedPath: String) -> JSONValue? {
        self[path: dottedPath.split(separator: ".", omittingEmptySubsequences: false).map(String.init)]
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `null`.
    public init(nilLiteral: ()) { self = .null }
    /// A boolean.
    /// - Parameters:
    ///   - value: the boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer.
    /// - Parameters:
    ///   - value: the integer.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A float.
    /// - Parameters:
    ///   - value: the number.
    public init(floatLiteral value: Double) { self = .float(value) }
    /// A string.
    /// - Parameters:
    ///   - value: the string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An array.
    /// - Parameters:
    ///   - elements: the elements.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object with members in the written order (a later duplicate key wins).
    /// - Parameters:
    ///   - elements: the members.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var members = JSONObject(minimumCapacity: elements.count)
        for (key, value) in elements { members[key] = value }
        self = .object(members)
    }
}
