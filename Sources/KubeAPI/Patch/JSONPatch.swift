/// RFC 6902 JSON Patch (`application/json-patch+json`): an ordered list of `add`, `remove`, `replace`, `move`,
/// `copy` and `test` operations, applied atomically (any failure leaves the object unchanged).
///
/// kubectl sends it for `patch --type=json` and `rollout undo`; the Python client for list-shaped patch bodies.
public enum JSONPatch {
    /// Applies a patch document to a value.
    /// - Parameters:
    ///   - patch: the JSON array of operations.
    ///   - document: the object to patch.
    public static func apply(_ patch: JSONValue, to document: JSONValue) throws(PatchError) -> JSONValue {
        guard let operations = patch.array else {
            throw .bad("a JSON patch must be an array of operations, got \(patch.typeName)")
        }
        var result = document
        for (index, operation) in operations.enumerated() {
            do {
                try apply(operation, to: &result)
            } catch {
                throw PatchError(error.kind, "JSON patch operation \(index): \(error.message)")
            }
        }
        return result
    }

    private static func apply(_ operation: JSONValue, to document: inout JSONValue) throws(PatchError) {
        guard operation.object != nil else { throw .bad("an operation must be an object") }
        guard let op = operation["op"]?.string else { throw .bad("missing \"op\"") }
        guard let pathText = operation["path"]?.string else { throw .bad("\(op): missing \"path\"") }
        let path = try JSONPointer(parsing: pathText)
        func value() throws(PatchError) -> JSONValue {
            guard let value = operation["value"] else { throw .bad("\(op) \(pathText): missing \"value\"") }
            return value
        }
        func from() throws(PatchError) -> JSONPointer {
            guard let text = operation["from"]?.string else { throw .bad("\(op) \(pathText): missing \"from\"") }
            return try JSONPointer(parsing: text)
        }
        switch op {
        case "add":
            try add(try value(), at: path, in: &document)
        case "remove":
            _ = try remove(at: path, in: &document)
        case "replace":
            let newValue = try value()
            _ = try remove(at: path, in: &document, replacingWith: newValue)
        case "move":
            let source = try from()
            if source == path { return }
            if path.tokens.count > source.tokens.count, Array(path.tokens.prefix(source.tokens.count)) == source.tokens {
                throw .unprocessable("move: \"from\" \(source) is a prefix of \"path\" \(path)")
            }
            let moved = try remove(at: source, in: &document)
            try add(moved, at: path, in: &document)
        case "copy":
            let source = try from()
            guard let copied = source.resolve(in: document) else {
                throw .unprocessable("copy: \"from\" \(source) does not exist")
            }
            try add(copied, at: path, in: &document)
        case "test":
            let expected = try value()
            guard let actual = path.resolve(in: document) else {
                throw .unprocessable("test: path \(pathText) does not exist")
            }
            guard numericallyEqual(actual, expected) else {
                throw .unprocessable("test failed: value at \(pathText) is \(actual.jsonString), expected \(expected.jsonString)")
            }
        default:
            throw .bad("unknown op \"\(op)\"")
        }
    }

    /// RFC 6902 equality: numbers compare by value (so `1` equals `1.0`), everything else structurally.
    static func numericallyEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { numericallyEqual($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { numericallyEqual(value, $0) } ?? false }
        default:
            if a.isNumber && b.isNumber, a != b, let x = a.double, let y = b.double { return x == y }
            return a == b
        }
    }

    /// Inserts (arrays) or sets (objects) `value` at `pointer`; the parent must exist.
    static func add(_ value: JSONValue, at pointer: JSONPointer, in document: inout JSONValue) throws(PatchError) {
        guard let last = pointer.tokens.last else {
            document = value
            return
        }
        try withParent(of: pointer, in: &document) { (parent: inout JSONValue) throws(PatchError) in
            switch parent {
            case .object(var members):
                parent = .null
                members[last] = value
                parent = .object(members)
            case .array(var elements):
                let index: Int
                if last == "-" {
                    index = elements.count
                } else {
                    guard let position = JSONPointer.arrayIndex(last, count: elements.count, allowEnd: true) else {
                        throw .unprocessable("add: index \(last) is out of bounds for \(pointer) (array of \(elements.count))")
                    }
                    index = position
                }
                parent = .null
                elements.insert(value, at: index)
                parent = .array(elements)
            default:
                throw .unprocessable("add: parent of \(pointer) is a \(parent.typeName), not an object or array")
            }
        }
    }

    /// Removes the value at `pointer` (or replaces it when `replacement` is given) and returns the old value.
    @discardableResult
    static func remove(at pointer: JSONPointer, in document: inout JSONValue,
                       replacingWith replacement: JSONValue? = nil) throws(PatchError) -> JSONValue {
        let verb = replacement == nil ? "remove" : "replace"
        guard let last = pointer.tokens.last else {
            guard let replacement else { throw .unprocessable("remove: cannot remove the whole document") }
            let old = document
            document = replacement
            return old
        }
        var removed: JSONValue = .null
        try withParent(of: pointer, in: &document) { (parent: inout JSONValue) throws(PatchError) in
            switch parent {
            case .object(var members):
                guard let old = members[last] else { throw .unprocessable("\(verb): path \(pointer) does not exist") }
                removed = old
                parent = .null
                if let replacement { members[last] = replacement } else { members.removeValue(forKey: last) }
                parent = .object(members)
            case .array(var elements):
                guard let index = JSONPointer.arrayIndex(last, count: elements.count, allowEnd: false) else {
                    throw .unprocessable("\(verb): index \(last) is out of bounds for \(pointer) (array of \(elements.count))")
                }
                removed = elements[index]
                parent = .null
                if let replacement { elements[index] = replacement } else { elements.remove(at: index) }
                parent = .array(elements)
            default:
                throw .unprocessable("\(verb): parent of \(pointer) is a \(parent.typeName), not an object or array")
            }
        }
        return removed
    }

    /// Walks to the container holding the pointer's last token and lets `body` mutate it in place.
    private static func withParent(of pointer: JSONPointer, in document: inout JSONValue,
                                   _ body: (inout JSONValue) throws(PatchError) -> Void) throws(PatchError) {
        try descend(pointer.tokens.dropLast(), pointer: pointer, in: &document, body)
    }

    private static func descend(_ tokens: ArraySlice<String>, pointer: JSONPointer, in node: inout JSONValue,
                                _ body: (inout JSONValue) throws(PatchError) -> Void) throws(PatchError) {
        guard let token = tokens.first else {
            try body(&node)
            return
        }
        let rest = tokens.dropFirst()
        switch node {
        case .object(var members):
            guard var child = members[token] else {
                throw .unprocessable("path \(pointer) does not exist (missing member \"\(token)\")")
            }
            node = .null
            members[token] = .null
            try descend(rest, pointer: pointer, in: &child, body)
            members[token] = child
            node = .object(members)
        case .array(var elements):
            guard let index = JSONPointer.arrayIndex(token, count: elements.count, allowEnd: false) else {
                throw .unprocessable("path \(pointer) does not exist (no index \(token))")
            }
            var child = elements[index]
            node = .null
            elements[index] = .null
            try descend(rest, pointer: pointer, in: &child, body)
            elements[index] = child
            node = .array(elements)
        default:
            throw .unprocessable("path \(pointer) does not exist (\(token) is inside a \(node.typeName))")
        }
    }
}
