import KubeAPI

/// A minimal OpenAPI v3: an index of group versions and, per group version, the PATCH operations of its resources
/// with the `fieldValidation` query parameter and the group-version-kind extension. That is what kubectl's
/// query-parameter verifier reads to decide that the server validates fields itself (`?fieldValidation=Strict`);
/// without any OpenAPI kubectl refuses `create -f` and `apply -f`. Full schemas (for `kubectl explain`) are not
/// served yet.
struct OpenAPIDocuments: Sendable {
    /// Serialized documents by index key ("api/v1", "apis/apps/v1").
    let documents: [String: (bytes: [UInt8], hash: String)]
    let index: [UInt8]

    init(kubernetesVersion: String) {
        var documents: [String: (bytes: [UInt8], hash: String)] = [:]
        var paths: JSONObject = [:]
        for group in ResourceTable.groups {
            for version in group.versions {
                let key = group.name.isEmpty ? "api/\(version)" : "apis/\(group.name)/\(version)"
                let document = Self.document(group: group.name, version: version, kubernetesVersion: kubernetesVersion)
                let bytes = document.jsonBytes
                let hash = Self.hash(bytes)
                documents[key] = (bytes, hash)
                paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(hash)")]
            }
        }
        self.documents = documents
        index = JSONValue.object(["paths": .object(paths)]).jsonBytes
    }

    private static func document(group: String, version: String, kubernetesVersion: String) -> JSONValue {
        var paths: JSONObject = [:]
        for info in ResourceTable.resources(group: group, version: version) where info.verbs.contains("patch") {
            let base = info.pathPrefix + (info.namespaced ? "/namespaces/{namespace}/" : "/") + info.plural + "/{name}"
            let operationID = "patch" + (group.isEmpty ? "Core" : group.split(separator: ".").first.map { $0.capitalized } ?? "")
                + version.capitalized + (info.namespaced ? "Namespaced" : "") + info.kind
            paths[base] = ["patch": [
                "operationId": .string(operationID),
                "parameters": .array(["dryRun", "fieldManager", "fieldValidation", "force"].map { name in
                    ["name": .string(name), "in": "query", "schema": ["type": name == "force" ? "boolean" : "string"],
                     "uniqueItems": true]
                }),
                "x-kubernetes-action": "patch",
                "x-kubernetes-group-version-kind": ["group": .string(group), "version": .string(version), "kind": .string(info.kind)],
            ]]
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": .string(kubernetesVersion)],
                "paths": .object(paths), "components": ["schemas": .emptyObject]]
    }

    /// FNV-1a: a cache key that changes when a document does (clients cache documents by it); not a security hash.
    private static func hash(_ bytes: [UInt8]) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
