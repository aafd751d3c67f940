extension LabelSelector {
    /// Parses the query-string form: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>1`,
    /// `k<1`, joined by commas. The empty string is `everything`.
    /// - Parameters:
    ///   - text: the selector, e.g. the `labelSelector` query parameter.
    public init(parsing text: String) throws(SelectorParseError) {
        var parser = LabelSelectorParser(tokens: try LabelSelectorLexer.tokenize(text))
        self.init(try parser.parse())
    }

    /// Converts the `metav1.LabelSelector` API type held as JSON (`matchLabels`, `matchExpressions` with operators
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`), as upstream `LabelSelectorAsSelector` does: nil or JSON null is
    /// `nothing`, an empty selector is `everything`.
    /// - Parameters:
    ///   - apiSelector: the selector object, or nil when the field is absent.
    public init(apiSelector: JSONValue?) throws(SelectorParseError) {
        guard let apiSelector, !apiSelector.isNull else {
            self = .nothing
            return
        }
        guard let members = apiSelector.object else { throw SelectorParseError("a label selector must be an object") }
        var requirements: [LabelRequirement] = []
        if let matchLabels = members["matchLabels"]?.object {
            for (key, value) in matchLabels {
                guard let text = value.string else { throw SelectorParseError("matchLabels[\(key)] must be a string") }
                requirements.append(try LabelRequirement(key: key, .equals, [text]))
            }
        }
        for expression in members["matchExpressions"]?.array ?? [] {
            let key = expression["key"]?.string ?? ""
            let values = expression["values"]?.array?.compactMap(\.string) ?? []
            let operatorName = expression["operator"]?.string ?? ""
            guard let op = Self.apiOperators[operatorName] else {
                throw SelectorParseError("\"\(operatorName)\" is not a valid label selector operator")
            }
            requirements.append(try LabelRequirement(key: key, op, values))
        }
        self.init(requirements)
    }

    /// The `matchExpressions` operator names of the API type.
    static let apiOperators: [String: LabelRequirement.Operator] = [
        "In": .in, "NotIn": .notIn, "Exists": .exists, "DoesNotExist": .doesNotExist,
    ]

    /// Builds the selector a `matchLabels`-only map describes (e.g. a Service's `spec.selector`, which upstream
    /// treats as "everything" when empty).
    /// - Parameters:
    ///   - matchLabels: the required label values.
    public init(matchLabels: [String: String]) throws(SelectorParseError) {
        var requirements: [LabelRequirement] = []
        for (key, value) in matchLabels { requirements.append(try LabelRequirement(key: key, .equals, [value])) }
        self.init(requirements)
    }
}

/// Tokens of the selector grammar.
enum LabelSelectorToken: Equatable {
    case identifier(String)
    case equals, doubleEquals, notEquals, bang, openParen, closeParen, comma, greaterThan, lessThan
    case inKeyword, notInKeyword
    case end

    var text: String {
        switch self {
        case .identifier(let s): s
        case .equals: "="
        case .doubleEquals: "=="
        case .notEquals: "!="
        case .bang: "!"
        case .openParen: "("
        case .closeParen: ")"
        case .comma: ","
        case .greaterThan: ">"
        case .lessThan: "<"
        case .inKeyword: "in"
        case .notInKeyword: "notin"
        case .end: "end of string"
        }
    }
}

/// Splits a selector into tokens; identifiers run until whitespace or one of `=!(),><`, as upstream's lexer does.
enum LabelSelectorLexer {
    private static let operators: [(String, LabelSelectorToken)] = [
        ("==", .doubleEquals), ("!=", .notEquals), ("=", .equals), ("!", .bang), ("(", .openParen),
        (")", .closeParen), (",", .comma), (">", .greaterThan), ("<", .lessThan),
    ]
    private static let special = Set("=!(),><")

    static func tokenize(_ text: String) throws(SelectorParseError) -> [LabelSelectorToken] {
        var tokens: [LabelSelectorToken] = []
        var rest = Substring(text)
        while true {
            rest = rest.drop(while: { $0.isWhitespace })
            guard let first = rest.first else { break }
            if special.contains(first) {
                guard let (symbol, token) = operators.first(where: { rest.hasPrefix($0.0) }) else {
                    throw SelectorParseError("unable to parse requirement: unexpected character '\(first)'")
                }
                tokens.append(token)
                rest = rest.dropFirst(symbol.count)
                continue
            }
            let word = rest.prefix { !$0.isWhitespace && !special.contains($0) }
            rest = rest.dropFirst(word.count)
            switch word {
            case "in": tokens.append(.inKeyword)
            case "notin": tokens.append(.notInKeyword)
            default: tokens.append(.identifier(String(word)))
            }
        }
        tokens.append(.end)
        return tokens
    }
}

/// Recursive-descent parser over the tokens.
struct LabelSelectorParser {
    let tokens: [LabelSelectorToken]
    var position = 0

    init(tokens: [LabelSelectorToken]) { self.tokens = tokens }

    var current: LabelSelectorToken { tokens[min(position, tokens.count - 1)] }

    mutating func next() -> LabelSelectorToken {
        let token = current
        position += 1
        return token
    }

    /// Inside a value position the keywords are ordinary words (`env in (in)` is legal).
    func asValue(_ token: LabelSelectorToken) -> String? {
        switch token {
        case .identifier(let s): s
        case .inKeyword: "in"
        case .notInKeyword: "notin"
        default: nil
        }
    }

    mutating func parse() throws(SelectorParseError) -> [LabelRequirement] {
        var requirements: [LabelRequirement] = []
        if current == .end { return requirements }
        while true {
            requirements.append(try parseRequirement())
            switch next() {
            case .end: return requirements
            case .comma:
                if current == .end { throw SelectorParseError("found '', expected: identifier after ','") }
            case let token: throw SelectorParseError("found '\(token.text)', expected: ',' or 'end of string'")
            }
        }
    }

    mutating func parseRequirement() throws(SelectorParseError) -> LabelRequirement {
        if current == .bang {
            position += 1
            guard case .identifier(let key) = next() else {
                throw SelectorParseError("found '\(tokens[position - 1].text)', expected: identifier after '!'")
            }
            return try requirement(key, .doesNotExist, [])
        }
        let keyToken = next()
        guard let key = asValue(keyToken) else {
            throw SelectorParseError("found '\(keyToken.text)', expected: !, identifier, or 'end of string'")
        }
        switch current {
        case .end, .comma:
            return try requirement(key, .exists, [])
        case .equals, .doubleEquals, .notEquals:
            let op: LabelRequirement.Operator = current == .equals ? .equals : (current == .doubleEquals ? .doubleEquals : .notEquals)
            position += 1
            if current == .end || current == .comma { return try requirement(key, op, [""]) }
            guard let value = asValue(next()) else {
                throw SelectorParseError("found '\(tokens[position - 1].text)', expected: identifier")
            }
            return try requirement(key, op, [value])
        case .greaterThan, .lessThan:
            let op: LabelRequirement.Operator = current == .greaterThan ? .greaterThan : .lessThan
            position += 1
            guard let value = asValue(next()) else {
                throw SelectorParseError("found '\(tokens[position - 1].text)', expected: identifier")
            }
            return try requirement(key, op, [value])
        case .inKeyword, .notInKeyword:
            let op: LabelRequirement.Operator = current == .inKeyword ? .in : .notIn
            position += 1
            return try requirement(key, op, try parseValueSet())
        default:
            throw SelectorParseError("found '\(current.text)', expected: '=', '!=', '==', 'in', notin'")
        }
    }

    /// `( a, b )`; empty entries count as the empty value, as upstream allows `()` and `(a,)`.
    mutating func parseValueSet() throws(SelectorParseError) -> [String] {
        guard next() == .openParen else { throw SelectorParseError("found '\(tokens[position - 1].text)' expected: '('") }
        var values: [String] = []
        if current == .closeParen {
            position += 1
            return [""]
        }
        var expectingValue = true
        while true {
            let token = next()
            if let value = asValue(token), expectingValue {
                values.append(value)
                expectingValue = false
                continue
            }
            switch token {
            case .comma:
                if expectingValue { values.append("") }
                expectingValue = true
            case .closeParen:
                if expectingValue { values.append("") }
                return values
            default:
                throw SelectorParseError("found '\(token.text)', expected: ',', ')' or identifier")
            }
        }
    }

    func requirement(_ key: String, _ op: LabelRequirement.Operator, _ values: [String]) throws(SelectorParseError) -> LabelRequirement {
        do {
            return try LabelRequirement(key: key, op, values)
        } catch {
            throw SelectorParseError("unable to parse requirement: " + error.message)
        }
    }
}
