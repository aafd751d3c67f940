import Foundation
import KubeAPI
import Storage

extension Registry {
    func create(_ context: RequestContext) async throws -> APIResponse {
        let object = try context.bodyObject()
        if let version = object.metadata.resourceVersion, !version.isEmpty {
            throw StatusError.badRequest("resourceVersion should not be set on objects to be created")
        }
        let created = try await createObject(object, context)
        return Self.response(201, created)
    }

    /// Prepares, validates and stores a new object; shared by POST and by an apply-patch that creates.
    func createObject(_ input: JSONValue, _ context: RequestContext) async throws -> JSONValue {
        let info = context.info
        var object = input
        try context.pruneUnknownFields(&object)
        prepareForCreate(&object, info)
        if info.group == "certificates.k8s.io" && info.plural == "certificatesigningrequests", let user = context.request?.user {
            // The requester is recorded by the server, never taken from the client (upstream's CSR strategy): the
            // approver's access review is about who really asked.
            object[path: ["spec", "username"]] = .string(user.name)
            object[path: ["spec", "groups"]] = .array(user.groups.map { .string($0) })
            object[path: ["spec", "uid"]] = user.uid.map { .string($0) } ?? nil
            object[path: ["spec", "extra"]] = user.extra.isEmpty ? nil
                : .object(.init(uniqueKeysWithValues: user.extra.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map { .string($0) })) }))
            object["status"] = .emptyObject
        }
        ObjectDefaults.apply(to: &object)
        try await defaultStorageClass(&object, info)
        if object.metadata.managedFields.isEmpty, let manager = context.fieldManager {
            object = ServerSideApply.recordUpdate(old: nil, new: object, manager: manager, time: KubeTime.now().rfc3339,
                                                  ignoringStatus: context.ownsNoStatus, schema: GeneratedPatchSchema.shared,
                                                  rootType: context.rootType)
        }
        let generated = (object.metadata.name ?? "").isEmpty
        if generated, let base = object.metadata.generateName, !base.isEmpty {
            object.metadata.name = base + Self.randomSuffix()
        }
        CreateRules.generateJobSelector(&object, info)
        let errors = ObjectValidation.validateCreate(object)
        if !errors.isEmpty { throw StatusError.invalid(info, object.metadata.name ?? "", errors) }
        let name = object.metadata.name ?? ""
        if info.namespaced {
            try await requireActiveNamespace(context.namespace ?? "", info: info, name: name)
        }
        try await admit(context, old: nil, new: object)
        if info.group.isEmpty && info.plural == "services" {
            try await allocateServiceAddresses(&object, namespace: context.namespace ?? "", dryRun: context.isDryRun)
        }
        let key = ResourceKeys.key(info, namespace: context.namespace, name: name)
        if context.isDryRun {
            if try await store.get(key) != nil { throw StatusError.alreadyExists(info, name) }
            return object
        }
        var attempt = object
        for _ in 0..<Self.maxRetries {
            let attemptName = attempt.metadata.name ?? ""
            do {
                let stored = try await store.create(
                    ResourceKeys.key(info, namespace: context.namespace, name: attemptName), value: Self.encode(attempt))
                return try Self.decode(stored)
            } catch let error as StorageError where error.code == .keyExists {
                // Upstream retries generated names on collision; a chosen name is the client's conflict.
                guard generated, let base = object.metadata.generateName else {
                    throw StatusError.alreadyExists(info, attemptName)
                }
                attempt.metadata.name = base + Self.randomSuffix()
            }
        }
        throw StatusError.alreadyExists(info, attempt.metadata.name ?? "")
    }

    /// Server-owned metadata and per-kind create rules (upstream `BeforeCreate` + strategy `PrepareForCreate`).
    func prepareForCreate(_ object: inout JSONValue, _ info: APIResourceInfo) {
        var meta = object.metadata
        meta.uid = UUID().uuidString.lowercased()
        meta.creationTimestamp = now().truncatedToSeconds
        meta.deletionTimestamp = nil
        meta.deletionGracePeriodSeconds = nil
        meta.fields["selfLink"] = nil
        if object["spec"] != nil { meta.generation = 1 } else { meta.generation = nil }
        object.metadata = meta
        CreateRules.apply(&object, info)
        SecretStringData.merge(&object, info)
    }

    /// 404 when the namespace is missing, 403 when it is being deleted.
    func requireActiveNamespace(_ namespace: String, info: APIResourceInfo, name: String) async throws {
        guard let namespaces = ResourceTable.resource(group: "", version: "v1", plural: "namespaces") else { return }
        guard let (_, object) = try await read(ResourceKeys.key(namespaces, namespace: nil, name: namespace)) else {
            throw StatusError.notFound(namespaces, namespace)
        }
        if object.metadata.isBeingDeleted || object[path: ["status", "phase"]]?.string == "Terminating" {
            throw StatusError.forbidden("\(info.qualifiedName) \"\(name)\" is forbidden: unable to create new content in "
                + "namespace \(namespace) because it is being terminated")
        }
    }

    /// Five characters from upstream's generateName alphabet (no vowels, no confusable digits).
    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement() ?? "x" })
    }
}

/// Per-kind status handling on create (strategies' `PrepareForCreate`): controllers own status, so a client-sent
/// status is dropped for kinds with a status subresource, except where upstream keeps or seeds it.
enum CreateRules {
    /// Kinds whose status a creator may set (kubelets register nodes with status; CSR/APIService/CRD status is
    /// written through its own flow but upstream keeps the create body).
    static let keepStatus: Set<String> = ["/Node", "certificates.k8s.io/CertificateSigningRequest",
                                          "apiregistration.k8s.io/APIService",
                                          "apiextensions.k8s.io/CustomResourceDefinition"]

    static let seeds: [String: @Sendable (inout JSONValue) -> Void] = [
        "/Pod": { pod in
            pod["status"] = ["phase": "Pending"]
        },
        "/Namespace": { namespace in
            namespace["status"] = ["phase": "Active"]
        },
        "/PersistentVolume": { $0["status"] = ["phase": "Pending"] },
        "/PersistentVolumeClaim": { $0["status"] = ["phase": "Pending"] },
    ]

    /// Upstream `generateSelector` (job strategy): unless `spec.manualSelector`, a Job's pod template is labelled with
    /// its name and uid (`job-name`, `controller-uid`, each also under `batch.kubernetes.io/`) and it selects its pods
    /// by the uid, so they match this Job only; labels the client set are kept (validation catches a mismatch). Runs
    /// once the name is known; the Job then takes the template's labels if it has none, as decoding does upstream.
    static func generateJobSelector(_ object: inout JSONValue, _ info: APIResourceInfo) {
        guard info.group == "batch", info.kind == "Job", object[path: ["spec", "manualSelector"]]?.bool != true else { return }
        let name = JSONValue.string(object.metadata.name ?? "")
        let uid = JSONValue.string(object.metadata.uid ?? "")
        let generated: [(String, JSONValue)] = [("batch.kubernetes.io/controller-uid", uid), ("batch.kubernetes.io/job-name", name),
                                                ("controller-uid", uid), ("job-name", name)]
        for (label, value) in generated where object[path: ["spec", "template", "metadata", "labels", label]] == nil {
            object[path: ["spec", "template", "metadata", "labels", label]] = value
        }
        if object[path: ["spec", "selector", "matchLabels", "batch.kubernetes.io/controller-uid"]] == nil {
            object[path: ["spec", "selector", "matchLabels", "batch.kubernetes.io/controller-uid"]] = uid
        }
        ObjectDefaults.copyTemplateLabels(&object)
    }

    static func apply(_ object: inout JSONValue, _ info: APIResourceInfo) {
        let key = "\(info.group)/\(info.kind)"
        guard info.subresource("status") != nil, !keepStatus.contains(key) else { return }
        object["status"] = nil
        seeds[key]?(&object)
    }
}
