import KubeAPI

/// `/openapi/v2`, only as far as kubectl reads it. kubectl 1.27 and 1.28 decide whether the server validates fields
/// itself (`?fieldValidation=Strict` on `create -f` and `apply -f`) from the v2 document's PATCH operations: one with
/// the resource's `x-kubernetes-group-version-kind` extension and a `fieldValidation` query parameter means yes.
/// Without a document they refuse those commands unless `--validate=false`. So the document lists each patchable
/// resource's PATCH operation with those two facts, and no definitions (kubectl's `explain` reads v3; its client-side
/// apply falls back to its built-in types when a definition is missing).
///
/// kubectl asks for gnostic's protobuf form (`openapi.v2.Document`); other clients get the same document as JSON.
struct OpenAPIV2Document: Sendable {
    /// What the response says it is: clients ask for `...spec.v2@v1.0+protobuf`, but `@` is not allowed in a media
    /// type, so upstream answers with a dot (Go's mime parser rejects the `@` form).
    static let protobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
    static let gvkExtension = "x-kubernetes-group-version-kind"
    static let queryParameters = ["dryRun", "fieldManager", "fieldValidation", "force"]

    struct Patch: Sendable {
        var path: String
        var operationID: String
        var group: String
        var version: String
        var kind: String
    }

    let patches: [Patch]
    let kubernetesVersion: String

    init(kubernetesVersion: String) {
        self.kubernetesVersion = kubernetesVersion
        var patches: [Patch] = []
        for group in ResourceTable.groups {
            for version in group.versions {
                for info in ResourceTable.resources(group: group.name, version: version) where info.supports("patch") {
                    patches.append(Patch(path: OpenAPIDocuments.collectionPath(info) + "/{name}", operationID: OpenAPIDocuments.operationID("patch", info),
                                         group: group.name, version: version, kind: info.kind))
                }
            }
        }
        self.patches = patches
    }

    /// The document as JSON (Swagger 2.0).
    var json: [UInt8] {
        var paths: JSONObject = [:]
        for patch in patches {
            let parameters: [JSONValue] = Self.queryParameters.map { name in
                ["name": .string(name), "in": "query", "type": .string(name == "force" ? "boolean" : "string"), "uniqueItems": true]
            }
            paths[patch.path] = ["patch": ["operationId": .string(patch.operationID), "parameters": .array(parameters),
                                           "x-kubernetes-action": "patch",
                                           "x-kubernetes-group-version-kind": ["group": .string(patch.group), "version": .string(patch.version),
                                                                      "kind": .string(patch.kind)]]]
        }
        let document: JSONValue = ["swagger": "2.0", "info": ["title": "Kubernetes", "version": .string(kubernetesVersion)],
                                   "paths": .object(paths), "definitions": .emptyObject]
        return document.jsonBytes
    }

    /// The document as gnostic's `openapi.v2.Document` protobuf (field numbers from its OpenAPIv2.proto).
    var protobuf: [UInt8] {
        var document = ProtobufWriter()
        document.string(1, "2.0")
        document.message(2) { info in
            info.string(1, "Kubernetes")
            info.string(2, kubernetesVersion)
        }
        document.message(8) { paths in
            for patch in patches {
                paths.message(2) { named in  // NamedPathItem
                    named.string(1, patch.path)
                    named.message(2) { item in  // PathItem
                        item.message(8) { operation in  // patch
                            operation.string(5, patch.operationID)
                            for name in Self.queryParameters {
                                operation.message(8) { parametersItem in
                                    parametersItem.message(1) { parameter in
                                        parameter.message(2) { nonBody in
                                            nonBody.message(3) { query in  // QueryParameterSubSchema
                                                query.string(2, "query")
                                                query.string(4, name)
                                                query.string(6, name == "force" ? "boolean" : "string")
                                                query.bool(20, true)
                                            }
                                        }
                                    }
                                }
                            }
                            operation.namedAny(13, "x-kubernetes-action", yaml: "patch\n")
                            operation.namedAny(13, Self.gvkExtension,
                                               yaml: "group: \"\(patch.group)\"\nkind: \(patch.kind)\nversion: \(patch.version)\n")
                        }
                    }
                }
            }
        }
        return document.bytes
    }
}

/// Just enough of the protobuf wire format to write a message: varints, strings, booleans, nested messages.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func key(_ field: Int, wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

    mutating func string(_ field: Int, _ value: String) {
        key(field, wireType: 2)
        varint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func bool(_ field: Int, _ value: Bool) {
        key(field, wireType: 0)
        varint(value ? 1 : 0)
    }

    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        key(field, wireType: 2)
        varint(UInt64(inner.bytes.count))
        bytes.append(contentsOf: inner.bytes)
    }

    /// gnostic's `NamedAny` whose `Any` holds YAML text (how vendor extensions are carried).
    mutating func namedAny(_ field: Int, _ name: String, yaml: String) {
        message(field) { named in
            named.string(1, name)
            named.message(2) { any in any.string(2, yaml) }
        }
    }
}
