import KubeAPI

/// The OpenAPI v3 documents: an index of group versions and, per group version, a document with
///
/// - `paths`: the list, create, read and patch operations of each resource with its group-version-kind extension, PATCH
///   and POST with the `fieldValidation` query parameter. kubectl's query-parameter verifier reads PATCH's to decide
///   that the server validates fields itself (`?fieldValidation=Strict`); without any OpenAPI kubectl refuses
///   `create -f` and `apply -f`. `kubectl explain` maps a resource to its kind through these operations.
/// - `components.schemas`: the Kubernetes v1.32 schema of every definition reachable from the group version's kinds,
///   their lists, their subresource bodies and the shared meta types (``GeneratedOpenAPISchema``), with
///   descriptions and `x-kubernetes-*` extensions. `kubectl explain` finds a kind by the
///   `x-kubernetes-group-version-kind` of its schema and renders the descriptions and fields.
///
/// Built on first request (the index needs every document's hash, so each is built once then, and dropped); a
/// document's bytes are built again, and kept, only when a client asks for that document.
struct OpenAPIDocuments: Sendable {
    /// One group version's document.
    struct Document: Sendable {
        /// The cache key clients see in the index (`?hash=`) and as the ETag.
        let hash: String
        private let body: LazyValue<[UInt8]>

        init(build: @escaping @Sendable () -> [UInt8]) {
            hash = OpenAPIDocuments.hash(build())
            body = LazyValue(build)
        }

        /// The serialized document.
        var bytes: [UInt8] { body.value }
    }

    /// Documents by index key ("api/v1", "apis/apps/v1").
    let documents: [String: Document]
    let index: [UInt8]

    init(kubernetesVersion: String) {
        var documents: [String: Document] = [:]
        var paths: JSONObject = [:]
        for group in ResourceTable.groups {
            for version in group.versions {
                let key = group.name.isEmpty ? "api/\(version)" : "apis/\(group.name)/\(version)"
                let document = Document {
                    Self.document(group: group.name, version: version, kubernetesVersion: kubernetesVersion)
                }
                documents[key] = document
                paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(document.hash)")]
            }
        }
        self.documents = documents
        index = JSONValue.object(["paths": .object(paths)]).jsonBytes
    }

    /// Meta definitions every group version's operations use (delete bodies, statuses, watch events, discovery).
    static let sharedDefinitions = ["APIResourceList", "DeleteOptions", "Patch", "Status", "WatchEvent"]
        .map { "io.k8s.apimachinery.pkg.apis.meta.v1." + $0 }

    /// The definitions a group version's document starts from: its kinds, their lists, the bodies of their
    /// subresources (e.g. autoscaling/v1 `Scale` for `deployments/scale`) and ``sharedDefinitions``.
    /// - Parameters:
    ///   - group: the group ("" for core).
    ///   - version: the version.
    static func schemaRoots(group: String, version: String) -> [String] {
        let schema = GeneratedPatchSchema.shared
        var roots = sharedDefinitions
        for info in ResourceTable.resources(group: group, version: version) {
            for kind in [info.kind, info.kind + "List"] {
                if let name = schema.rootType(group: group, version: version, kind: kind) { roots.append(name) }
            }
            for sub in info.subresources {
                let subGroup = sub.group ?? group, subVersion = sub.version ?? version
                if let name = schema.rootType(group: subGroup, version: subVersion, kind: sub.kind) { roots.append(name) }
            }
        }
        return roots
    }

    /// One group version's document, serialized: `openapi`, `info` and `paths` as JSON values, then the generated
    /// schemas spliced in as they are stored (compact JSON text).
    /// - Parameters:
    ///   - group: the group ("" for core).
    ///   - version: the version.
    ///   - kubernetesVersion: the version `info` reports.
    static func document(group: String, version: String, kubernetesVersion: String) -> [UInt8] {
        let schemaNames = GeneratedOpenAPISchema.closure(of: schemaRoots(group: group, version: version))
        let schemas = schemaNames.compactMap { name in GeneratedOpenAPISchema.schemaJSON(name).map { (name, $0) } }
        var out: [UInt8] = []
        out.reserveCapacity(schemas.reduce(4096) { $0 + $1.0.utf8.count + $1.1.utf8.count + 4 })
        out.append(contentsOf: #"{"openapi":"3.0.0","info":"#.utf8)
        out.append(contentsOf: JSONValue.object(["title": "Kubernetes", "version": .string(kubernetesVersion)]).jsonBytes)
        out.append(contentsOf: #","paths":"#.utf8)
        out.append(contentsOf: paths(group: group, version: version).jsonBytes)
        out.append(contentsOf: #","components":{"schemas":{"#.utf8)
        for (position, (name, schema)) in schemas.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: JSONValue.string(name).jsonBytes)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: schema.utf8)
        }
        out.append(contentsOf: "}}}".utf8)
        return out
    }

    /// The operations of every resource of a group version, as far as clients read them: list and create on the
    /// collection path, read and patch on the object path, each with the resource's group-version-kind (explain finds
    /// a resource's kind through them) and PATCH and POST with the `fieldValidation` query parameter (the
    /// query-parameter verifier reads PATCH's).
    private static func paths(group: String, version: String) -> JSONValue {
        var paths: JSONObject = [:]
        for info in ResourceTable.resources(group: group, version: version) {
            let collection = collectionPath(info)
            let gvk: JSONValue = ["group": .string(group), "version": .string(version), "kind": .string(info.kind)]
            func operation(_ verb: String, action: String, parameters: [String] = []) -> JSONValue {
                var operation: JSONObject = [
                    "operationId": .string(operationID(verb, info)),
                ]
                if !parameters.isEmpty {
                    operation["parameters"] = .array(parameters.map { name in
                        ["name": .string(name), "in": "query", "schema": ["type": name == "force" ? "boolean" : "string"],
                         "uniqueItems": true]
                    })
                }
                operation["x-kubernetes-action"] = .string(action)
                operation["x-kubernetes-group-version-kind"] = gvk
                return .object(operation)
            }
            var collectionOperations: JSONObject = [:]
            if info.supports("list") { collectionOperations["get"] = operation("list", action: "list") }
            if info.supports("create") {
                collectionOperations["post"] = operation("create", action: "post", parameters: ["dryRun", "fieldManager", "fieldValidation"])
            }
            var objectOperations: JSONObject = [:]
            if info.supports("get") { objectOperations["get"] = operation("read", action: "get") }
            if info.supports("patch") {
                objectOperations["patch"] = operation("patch", action: "patch", parameters: ["dryRun", "fieldManager", "fieldValidation", "force"])
            }
            if !collectionOperations.isEmpty { paths[collection] = .object(collectionOperations) }
            if !objectOperations.isEmpty { paths[collection + "/{name}"] = .object(objectOperations) }
        }
        return .object(paths)
    }

    /// A resource's collection path (`/apis/apps/v1/namespaces/{namespace}/deployments`), as both documents list it.
    static func collectionPath(_ info: APIResourceInfo) -> String {
        info.pathPrefix + (info.namespaced ? "/namespaces/{namespace}/" : "/") + info.plural
    }

    /// Upstream's operation id: verb, group (first label, capitalized; "Core"), version, "Namespaced", kind
    /// (`patchAppsV1NamespacedDeployment`).
    static func operationID(_ verb: String, _ info: APIResourceInfo) -> String {
        let groupPart = info.group.isEmpty ? "Core" : info.group.split(separator: ".").first.map { $0.capitalized } ?? ""
        return verb + groupPart + info.version.capitalized + (info.namespaced ? "Namespaced" : "") + info.kind
    }

    /// FNV-1a: a cache key that changes when a document does (clients cache documents by it); not a security hash.
    static func hash(_ bytes: [UInt8]) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
