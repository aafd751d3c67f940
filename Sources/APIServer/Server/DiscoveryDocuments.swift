import KubeAPI

/// The discovery documents, legacy and aggregated, built once from `ResourceTable` (the single source of truth for
/// what is served). Aggregated discovery (KEP-3352) answers kubectl in two requests instead of 2 + one per group
/// version; the legacy documents stay served because `drain` and `auth can-i` still read `/api/v1`.
struct DiscoveryDocuments: Sendable {
    /// The aggregated media type versions kubectl asks for, newest first.
    static let aggregatedVersions = ["v2", "v2beta1"]

    let legacyAPI: JSONValue
    let legacyAPIs: JSONValue
    let aggregatedCore: JSONValue
    let aggregatedNamed: JSONValue

    init(serverAddress: String) {
        legacyAPI = (try? JSONValue(encoding: ResourceTable.apiVersions(serverAddress: serverAddress))) ?? .emptyObject
        legacyAPIs = (try? JSONValue(encoding: ResourceTable.apiGroupList())) ?? .emptyObject
        aggregatedCore = Self.aggregated(ResourceTable.groups.filter { $0.name.isEmpty })
        aggregatedNamed = Self.aggregated(ResourceTable.namedGroups)
    }

    /// The legacy document of `/api/v1`, `/apis/<g>` or `/apis/<g>/<v>`; nil for unknown groups and versions.
    func legacy(path: [String]) -> JSONValue? {
        switch path.count {
        case 2 where path[0] == "api":
            return ResourceTable.apiResourceList(group: "", version: path[1]).flatMap { try? JSONValue(encoding: $0) }
        case 2 where path[0] == "apis":
            return ResourceTable.apiGroup(path[1]).flatMap { try? JSONValue(encoding: $0) }
        case 3 where path[0] == "apis":
            return ResourceTable.apiResourceList(group: path[1], version: path[2]).flatMap { try? JSONValue(encoding: $0) }
        default:
            return nil
        }
    }

    /// The aggregated version an Accept header asks for before any plain JSON, walking its entries in order
    /// (client-go lists its preferences first); nil = serve the legacy document.
    static func negotiateAggregated(accept: String?) -> String? {
        for entry in (accept ?? "").split(separator: ",") {
            let fields = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let type = fields.first else { continue }
            var parameters: [String: String] = [:]
            for field in fields.dropFirst() {
                let pair = field.split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { parameters[pair[0]] = pair[1] }
            }
            if parameters["as"] == "APIGroupDiscoveryList", parameters["g"] == "apidiscovery.k8s.io",
               let version = parameters["v"], aggregatedVersions.contains(version), type == "application/json"
            {
                return version
            }
            if type == "application/json" || type == "*/*" { return nil }
        }
        return nil
    }

    /// The Content-Type of an aggregated document, which client-go uses to pick its decoder.
    static func aggregatedContentType(_ version: String) -> String {
        "application/json;g=apidiscovery.k8s.io;v=\(version);as=APIGroupDiscoveryList"
    }

    /// An aggregated document for one version of the media type (v2 and v2beta1 differ only in apiVersion).
    static func withVersion(_ document: JSONValue, _ version: String) -> JSONValue {
        var copy = document
        copy["apiVersion"] = .string("apidiscovery.k8s.io/\(version)")
        return copy
    }

    private static func aggregated(_ groups: [APIGroupInfo]) -> JSONValue {
        let items: [JSONValue] = groups.map { group in
            let versions: [JSONValue] = group.versions.map { version in
                let resources: [JSONValue] = ResourceTable.resources(group: group.name, version: version).map(resourceEntry)
                return ["version": .string(version), "resources": .array(resources), "freshness": "Current"]
            }
            return ["metadata": ["name": .string(group.name), "creationTimestamp": .null], "versions": .array(versions)]
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": .emptyObject,
                "items": .array(items)]
    }

    private static func resourceEntry(_ info: APIResourceInfo) -> JSONValue {
        var entry: JSONValue = [
            "resource": .string(info.plural),
            "responseKind": ["group": .string(info.group), "version": .string(info.version), "kind": .string(info.kind)],
            "scope": info.namespaced ? "Namespaced" : "Cluster",
            "singularResource": .string(info.singular),
            "verbs": .array(info.verbs.map { .string($0) }),
        ]
        if !info.shortNames.isEmpty { entry["shortNames"] = .array(info.shortNames.map { .string($0) }) }
        if !info.categories.isEmpty { entry["categories"] = .array(info.categories.map { .string($0) }) }
        if !info.subresources.isEmpty {
            entry["subresources"] = .array(info.subresources.map { sub in
                [
                    "subresource": .string(sub.name),
                    "responseKind": ["group": .string(sub.group ?? info.group), "version": .string(sub.version ?? info.version),
                                     "kind": .string(sub.kind)],
                    "verbs": .array(sub.verbs.map { .string($0) }),
                ]
            })
        }
        return entry
    }
}
