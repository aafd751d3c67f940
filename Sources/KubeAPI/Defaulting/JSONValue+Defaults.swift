extension JSONValue {
    /// Sets the member at `path` only when it is absent or null: the defaulting primitive.
    mutating func setDefault(_ path: [String], _ value: JSONValue) {
        if self[path: path] == nil || self[path: path]?.isNull == true { self[path: path] = value }
    }

    /// Applies `body` to every element of the array at `path` (no-op when absent).
    mutating func forEachElement(_ path: [String], _ body: (inout JSONValue) -> Void) {
        guard case .array(var items)? = self[path: path] else { return }
        for index in items.indices { body(&items[index]) }
        self[path: path] = .array(items)
    }

    /// Applies `body` to the object at `path` if it exists.
    mutating func modify(_ path: [String], _ body: (inout JSONValue) -> Void) {
        guard var child = self[path: path], !child.isNull else { return }
        body(&child)
        self[path: path] = child
    }
}
