import OrderedCollections

/// Read-only access to a label set, so selectors work on dictionaries, ordered dictionaries and raw JSON alike.
public protocol LabelLookup {
    /// The value of a label, or nil when absent.
    /// - Parameters:
    ///   - key: the label key.
    func labelValue(_ key: String) -> String?
}

extension Dictionary: LabelLookup where Key == String, Value == String {
    public func labelValue(_ key: String) -> String? { self[key] }
}

extension OrderedDictionary: LabelLookup where Key == String, Value == String {
    public func labelValue(_ key: String) -> String? { self[key] }
}

/// Labels read straight from a JSON `metadata.labels` object (non-string values are ignored).
struct JSONLabels: LabelLookup {
    let members: JSONObject
    init(_ members: JSONObject) { self.members = members }
    func labelValue(_ key: String) -> String? { members[key]?.string }
}
