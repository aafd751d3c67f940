import HTTPTransport
import KubeAPI
import Testing
@testable import APIServer

/// The /openapi/v3 index and group-version documents: real schemas for `kubectl explain`, PATCH parameters for
/// kubectl's field-validation check.
@Suite struct OpenAPIDocumentsTests {
    static let documents = OpenAPIDocuments(kubernetesVersion: "v1.32.0")

    static func parsed(_ key: String) throws -> JSONValue {
        let document = try #require(documents.documents[key], "no document \(key)")
        return try JSONValue(parsing: document.bytes)
    }

    static func key(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    @Test func indexListsEveryGroupVersionWithTheHashOfItsDocument() throws {
        let index = try JSONValue(parsing: Self.documents.index)
        let paths = try #require(index["paths"]?.object)
        let expected = ResourceTable.groups.flatMap { g in g.versions.map { Self.key(group: g.name, version: $0) } }
        #expect(Set(paths.keys) == Set(expected))
        for (key, entry) in paths {
            let document = try #require(Self.documents.documents[key])
            #expect(document.hash == OpenAPIDocuments.hash(document.bytes))
            #expect(entry["serverRelativeURL"]?.string == "/openapi/v3/\(key)?hash=\(document.hash)")
        }
        #expect(Set(paths.values.compactMap { $0["serverRelativeURL"]?.string }).count == paths.count)
    }

    @Test func coreDocumentCarriesThePodSchemaWithDescriptions() throws {
        let document = try Self.parsed("api/v1")
        #expect(document["openapi"]?.string == "3.0.0")
        let schemas = try #require(document[path: ["components", "schemas"]]?.object)
        let pod = try #require(schemas["io.k8s.api.core.v1.Pod"])
        #expect(pod["description"]?.string?.hasPrefix("Pod is a collection of containers") == true)
        #expect(pod[path: ["properties", "spec", "allOf"]]?[0]?["$ref"]?.string == "#/components/schemas/io.k8s.api.core.v1.PodSpec")
        let container = try #require(schemas["io.k8s.api.core.v1.Container"])
        #expect(container[path: ["properties", "image", "type"]]?.string == "string")
        #expect(container[path: ["properties", "image", "description"]]?.string?.hasPrefix("Container image name") == true)
        #expect(container["required"]?.array == ["name"])
        #expect(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]?["properties"]?["labels"] != nil)
        // Subresource bodies of other groups: pods/eviction and serviceaccounts/token.
        #expect(schemas["io.k8s.api.policy.v1.Eviction"] != nil)
        #expect(schemas["io.k8s.api.authentication.v1.TokenRequest"] != nil)
        // Nothing of a group the core document does not reach.
        #expect(schemas["io.k8s.api.rbac.v1.ClusterRole"] == nil)
    }

    @Test func everyReferenceResolvesWithinItsDocument() throws {
        for key in Self.documents.documents.keys.sorted() {
            let document = try Self.parsed(key)
            let schemas = try #require(document[path: ["components", "schemas"]]?.object)
            var references: Set<String> = []
            func collect(_ value: JSONValue) {
                switch value {
                case .object(let members):
                    for (name, member) in members {
                        if name == "$ref", let ref = member.string { references.insert(ref) } else { collect(member) }
                    }
                case .array(let elements): elements.forEach(collect)
                default: break
                }
            }
            schemas.values.forEach(collect)
            for ref in references {
                #expect(ref.hasPrefix("#/components/schemas/"), "\(key): \(ref)")
                #expect(schemas[String(ref.dropFirst("#/components/schemas/".count))] != nil, "\(key): unresolved \(ref)")
            }
        }
    }

    @Test func everyServedKindHasASchemaWithItsGroupVersionKind() throws {
        for group in ResourceTable.groups {
            for version in group.versions {
                let document = try Self.parsed(Self.key(group: group.name, version: version))
                let schemas = try #require(document[path: ["components", "schemas"]]?.object)
                func hasKind(_ group: String, _ version: String, _ kind: String) -> Bool {
                    let gvk: JSONValue = ["group": .string(group), "kind": .string(kind), "version": .string(version)]
                    return schemas.values.contains { $0["x-kubernetes-group-version-kind"]?.array?.contains(gvk) == true }
                }
                for info in ResourceTable.resources(group: group.name, version: version) {
                    #expect(hasKind(info.group, info.version, info.kind), "\(info.groupVersion) \(info.kind)")
                    for sub in info.subresources where sub.group != nil {
                        #expect(hasKind(sub.group ?? "", sub.version ?? "", sub.kind), "\(info.plural)/\(sub.name) \(sub.kind)")
                    }
                }
            }
        }
    }

    /// What kubectl's explain (GVR → GVK through the paths) and query-parameter verifier (PATCH parameters) read.
    @Test func everyResourceHasOperationsWithItsKindAndPatchTakesFieldValidation() throws {
        for info in ResourceTable.resources {
            let document = try Self.parsed(Self.key(group: info.group, version: info.version))
            let collection = info.pathPrefix + (info.namespaced ? "/namespaces/{namespace}/" : "/") + info.plural
            let gvk: JSONValue = ["group": .string(info.group), "version": .string(info.version), "kind": .string(info.kind)]
            let operations = [collection, collection + "/{name}"].compactMap { document["paths"]?[$0]?.object }.flatMap(\.values)
            #expect(!operations.isEmpty && operations.allSatisfy { $0["x-kubernetes-group-version-kind"] == gvk }, "\(info.plural)")
            guard info.supports("patch") else { continue }
            let patch = try #require(document["paths"]?[collection + "/{name}"]?["patch"], "\(info.plural)")
            let parameters = patch["parameters"]?.array ?? []
            #expect(parameters.contains { $0["name"]?.string == "fieldValidation" && $0["in"]?.string == "query" }, "\(info.plural)")
        }
    }

    @Test func handlerServesTheIndexAndDocumentsWithEtags() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let handler = APIHandlerTests.handler(h)
        let index = await handler.respond(to: HTTPRequestMessage(method: "GET", path: "/openapi/v3"))
        #expect(index.status == 200)
        let url = try #require(APIHandlerTests.body(index)[path: ["paths", "apis/apps/v1", "serverRelativeURL"]]?.string)
        let hash = String(url.split(separator: "=").last ?? "")
        let document = await handler.respond(to: HTTPRequestMessage(method: "GET", path: "/openapi/v3/apis/apps/v1",
                                                                   query: [("hash", hash)]))
        #expect(document.status == 200)
        #expect(document.headers.contains { $0.0 == "etag" && $0.1 == "\"\(hash)\"" })
        #expect(APIHandlerTests.body(document)[path: ["components", "schemas", "io.k8s.api.apps.v1.Deployment"]] != nil)
        let v2 = await handler.respond(to: HTTPRequestMessage(method: "GET", path: "/openapi/v2",
                                                              headers: [("accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")]))
        #expect(v2.status == 200)
        #expect(v2.headers.contains { $0.0 == "content-type" && $0.1 == OpenAPIV2Document.protobufContentType })
        #expect(APIHandlerTests.body(await handler.respond(to: HTTPRequestMessage(method: "GET", path: "/openapi/v2")))["swagger"] == "2.0")
        #expect(await handler.respond(to: HTTPRequestMessage(method: "GET", path: "/openapi/v3/apis/nope/v1")).status == 404)
    }
}

/// /openapi/v2 as kubectl 1.27 and 1.28 read it: gnostic's protobuf Document whose PATCH operations carry the
/// group-version-kind extension and the fieldValidation query parameter.
@Suite struct OpenAPIV2DocumentTests {
    /// The length-delimited fields of a message, by number, in order (enough to walk gnostic's nesting).
    static func fields(_ bytes: ArraySlice<UInt8>) throws -> [(Int, ArraySlice<UInt8>)] {
        var position = bytes.startIndex
        var out: [(Int, ArraySlice<UInt8>)] = []
        func varint() throws -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                try #require(position < bytes.endIndex)
                let byte = bytes[position]; position += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        while position < bytes.endIndex {
            let key = try varint()
            if key & 7 == 0 { _ = try varint(); continue }
            try #require(key & 7 == 2)
            let length = Int(try varint())
            out.append((Int(key >> 3), bytes[position..<(position + length)]))
            position += length
        }
        return out
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func deploymentPatchCarriesItsKindAndFieldValidation() throws {
        let document = OpenAPIV2Document(kubernetesVersion: "v1.32.0")
        let top = try Self.fields(ArraySlice(document.protobuf))
        #expect(top.first.map { $0.0 == 1 && Self.text($0.1) == "2.0" } == true)
        let paths = try #require(top.first { $0.0 == 8 }?.1)
        var found = false
        for (number, named) in try Self.fields(paths) where number == 2 {
            let entry = try Self.fields(named)
            guard entry.first.map({ Self.text($0.1) }) == "/apis/apps/v1/namespaces/{namespace}/deployments/{name}" else { continue }
            let item = try #require(entry.first { $0.0 == 2 }?.1)
            let operation = try #require(try Self.fields(item).first { $0.0 == 8 }?.1)
            let parts = try Self.fields(operation)
            let extensions = try parts.filter { $0.0 == 13 }.map { try Self.fields($0.1) }
            let gvk = try #require(extensions.first { $0.first.map { Self.text($0.1) } == "x-kubernetes-group-version-kind" })
            let any = try #require(gvk.first { $0.0 == 2 }?.1)
            #expect(try Self.fields(any).first.map { Self.text($0.1) } == "group: \"apps\"\nkind: Deployment\nversion: v1\n")
            var names: [String] = []
            for parameter in parts.filter({ $0.0 == 8 }) {
                // ParametersItem.parameter → Parameter.non_body_parameter → NonBodyParameter.query_parameter_sub_schema
                let query = try Self.fields(try Self.fields(try Self.fields(try Self.fields(parameter.1)[0].1)[0].1)[0].1)
                names += query.filter { $0.0 == 4 }.map { Self.text($0.1) }
            }
            #expect(names.contains("fieldValidation"))
            found = true
        }
        #expect(found)
        let json = try JSONValue(parsing: document.json)
        #expect(json[path: ["paths", "/api/v1/namespaces/{namespace}/configmaps/{name}", "patch", "x-kubernetes-group-version-kind", "kind"]] == "ConfigMap")
    }
}
