/// A parsed field selector (`metadata.name=web,status.phase!=Failed`): equality clauses that must all hold.
///
/// Which fields can be selected is the API server's per-kind decision (upstream registries each list theirs), so
/// evaluation takes a `SelectableFields` hook rather than a built-in table.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    /// The clauses, in the order written.
    public var requirements: [FieldRequirement]

    /// Creates a selector.
    /// - Parameters:
    ///   - requirements: all must hold.
    public init(_ requirements: [FieldRequirement] = []) { self.requirements = requirements }

    /// Matches every object.
    public static var everything: FieldSelector { FieldSelector() }

    /// Whether there are no clauses.
    public var isEmpty: Bool { requirements.isEmpty }

    /// Parses `field=value`, `field==value`, `field!=value` clauses joined by commas. In values, `\,`, `\=` and
    /// `\\` escape those characters; an empty value (`spec.nodeName=`) is allowed.
    /// - Parameters:
    ///   - text: the selector, e.g. the `fieldSelector` query parameter.
    public init(parsing text: String) throws(SelectorParseError) {
        var requirements: [FieldRequirement] = []
        for term in Self.splitTerms(text) where !term.isEmpty {
            guard let (field, op, rawValue) = Self.splitTerm(term) else {
                throw SelectorParseError("invalid selector: '\(text)'; can't understand '\(term)'")
            }
            requirements.append(FieldRequirement(field: field, op, try Self.unescape(rawValue)))
        }
        self.init(requirements)
    }

    /// Splits on commas not preceded by a backslash escape.
    static func splitTerms(_ text: String) -> [Substring] {
        var terms: [Substring] = []
        var start = text.startIndex
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "," {
                terms.append(text[start..<index])
                start = text.index(after: index)
            }
        }
        terms.append(text[start...])
        return terms
    }

    /// Finds the first operator (`!=`, `==`, then `=` at each position, as upstream does).
    static func splitTerm(_ term: Substring) -> (String, FieldRequirement.Operator, Substring)? {
        var index = term.startIndex
        while index < term.endIndex {
            let rest = term[index...]
            for (symbol, op) in [("!=", FieldRequirement.Operator.notEquals), ("==", .doubleEquals), ("=", .equals)]
            where rest.hasPrefix(symbol) {
                return (String(term[..<index]), op, rest.dropFirst(symbol.count))
            }
            index = term.index(after: index)
        }
        return nil
    }

    static func unescape(_ value: Substring) throws(SelectorParseError) -> String {
        var result = ""
        var escaped = false
        for character in value {
            if escaped {
                guard character == "\\" || character == "," || character == "=" else {
                    throw SelectorParseError("invalid field selector: invalid escape sequence: \\\(character)")
                }
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "," || character == "=" {
                throw SelectorParseError("invalid field selector: unescaped \(character) in value \(value)")
            } else {
                result.append(character)
            }
        }
        if escaped { throw SelectorParseError("invalid field selector: invalid escape sequence at end of value \(value)") }
        return result
    }

    /// Checks that every field is selectable for the kind; the error text is upstream's 400 message.
    /// - Parameters:
    ///   - fields: what the kind supports.
    public func validate(against fields: SelectableFields) throws(SelectorParseError) {
        for requirement in requirements where !fields.supports(requirement.field) {
            throw SelectorParseError("field label not supported: \(requirement.field)")
        }
    }

    /// Whether an object satisfies every clause; an unsupported field never matches.
    /// - Parameters:
    ///   - object: the API object.
    ///   - fields: how to read selectable fields for its kind.
    public func matches(_ object: JSONValue, fields: SelectableFields) -> Bool {
        requirements.allSatisfy { requirement in
            guard let actual = fields.value(requirement.field, object) else { return false }
            return requirement.op == .notEquals ? actual != requirement.value : actual == requirement.value
        }
    }

    /// The canonical form with values re-escaped.
    public var description: String { requirements.map(\.description).joined(separator: ",") }

    /// The value a clause requires for `field` with `=`/`==`, if any (lets a server narrow a list to one name).
    /// - Parameters:
    ///   - field: the field path.
    public func requiredValue(for field: String) -> String? {
        requirements.first { $0.field == field && $0.op != .notEquals }?.value
    }
}
