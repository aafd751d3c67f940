import KubeAPI

/// The query of a list (and, minus paging, of a watch): selectors, paging and which resourceVersion to read at.
public struct ListOptions: Sendable, Hashable {
    /// e.g. "app=web,tier!=db" or "env in (prod,staging)".
    public var labelSelector: String?
    /// e.g. "spec.nodeName=node-1" or "metadata.name=foo".
    public var fieldSelector: String?
    /// Page size; the answer carries a continue token when more items remain.
    public var limit: Int?
    /// The continue token of the previous page.
    public var continueToken: String?
    /// "" = the latest (a consistent read), "0" = any (the server's cache), or a version to read at / after.
    public var resourceVersion: String?
    /// "Exact" or "NotOlderThan", qualifying `resourceVersion`.
    public var resourceVersionMatch: String?
    /// Server-side time limit of the call (for a watch: when the server ends the stream).
    public var timeoutSeconds: Int?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil,
                resourceVersion: String? = nil, resourceVersionMatch: String? = nil, timeoutSeconds: Int? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.timeoutSeconds = timeoutSeconds
    }

    /// The query parameters, omitting unset and empty ones (an empty `resourceVersion` means "latest" anyway).
    var queryItems: [(String, String)] {
        let pairs: [(String, String?)] = [
            ("labelSelector", labelSelector), ("fieldSelector", fieldSelector), ("limit", limit.map(String.init)),
            ("continue", continueToken), ("resourceVersion", resourceVersion),
            ("resourceVersionMatch", resourceVersionMatch), ("timeoutSeconds", timeoutSeconds.map(String.init)),
        ]
        return pairs.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : (name, $0) } }
    }
}

/// One page of a list: the items, the collection's resourceVersion (where a watch should start) and the token of
/// the next page.
public struct ObjectList: Sendable {
    public var items: [JSONValue]
    public var resourceVersion: String
    /// nil on the last page.
    public var continueToken: String?
    public var remainingItemCount: Int64?
    /// The whole `<Kind>List` as sent.
    public var raw: JSONValue

    init(_ json: JSONValue) throws {
        guard let items = json["items"]?.array ?? (json["items"]?.isNull == true ? [] : nil) else {
            throw KubeClientError.invalidResponse("a list without items: \(json["kind"]?.string ?? json.typeName)")
        }
        self.items = items
        resourceVersion = json[path: ["metadata", "resourceVersion"]]?.string ?? ""
        continueToken = json[path: ["metadata", "continue"]]?.string.flatMap { $0.isEmpty ? nil : $0 }
        remainingItemCount = json[path: ["metadata", "remainingItemCount"]]?.int64
        raw = json
    }
}
