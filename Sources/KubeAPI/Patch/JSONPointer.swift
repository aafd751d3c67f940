/// An RFC 6901 JSON Pointer such as `/spec/containers/0/image` or `/metadata/annotations/a~1b`.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens; empty for the whole document.
    public var tokens: [String]

    /// Creates a pointer from unescaped tokens.
    /// - Parameters:
    ///   - tokens: member names or array indices.
    public init(tokens: [String]) { self.tokens = tokens }

    /// Parses the string form: "" or "/"-separated tokens with `~1` for "/" and `~0` for "~".
    /// - Parameters:
    ///   - text: the pointer.
    public init(parsing text: String) throws(PatchError) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { throw .bad("JSON pointer \"\(text)\" must be empty or start with '/'") }
        var tokens: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var iterator = raw.makeIterator()
            while let character = iterator.next() {
                guard character == "~" else {
                    token.append(character)
                    continue
                }
                switch iterator.next() {
                case "0": token.append("~")
                case "1": token.append("/")
                default: throw .bad("JSON pointer \"\(text)\" has an invalid '~' escape (only ~0 and ~1 are allowed)")
                }
            }
            tokens.append(token)
        }
        self.tokens = tokens
    }

    /// The escaped string form.
    public var description: String {
        tokens.map { "/" + $0.replacingAll("~", with: "~0").replacingAll("/", with: "~1") }.joined()
    }

    /// The value the pointer designates, if it exists.
    /// - Parameters:
    ///   - document: the document to look in.
    public func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Self.arrayIndex(token, count: elements.count, allowEnd: false) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Parses an array index token: decimal digits without leading zeros, within bounds (`count` itself only when
    /// `allowEnd`, for insertion).
    static func arrayIndex(_ token: String, count: Int, allowEnd: Bool) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              token == "0" || !token.hasPrefix("0"), let index = Int(token) else { return nil }
        return index < count || (allowEnd && index == count) ? index : nil
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
