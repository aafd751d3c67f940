// The served resource table: the single source of truth for discovery (/api, /apis, /api/v1, /apis/<g>/<v>,
// aggregated discovery), request routing, RBAC resource names and kubectl-style name resolution.
//
// Hand-kept against `kubectl api-resources -o wide` of a Kubernetes v1.32 cluster. Resources are listed in
// upstream discovery order: the core group first, then named groups in kube-apiserver priority order; within a
// group/version alphabetically by plural (as upstream's legacy discovery sorts them).

/// A subresource of a served resource, e.g. `pods/status` or `deployments/scale`.
public struct APISubresourceInfo: Sendable, Hashable {
    /// The subresource name after the slash, e.g. "status", "scale", "log".
    public var name: String
    /// The kind of the request/response body, e.g. "Scale", "Eviction", "Pod".
    public var kind: String
    /// The group of `kind` when it differs from the parent's (e.g. "autoscaling" for `deployments/scale`,
    /// "policy" for `pods/eviction`); nil = the parent's group.
    public var group: String?
    /// The version of `kind` when `group` is set; nil = the parent's version.
    public var version: String?
    /// The verbs the subresource supports, as upstream discovery lists them.
    public var verbs: [String]

    /// Creates a subresource entry.
    /// - Parameters:
    ///   - name: the name after the slash.
    ///   - kind: the body kind.
    ///   - group: the body kind's group when it differs from the parent's.
    ///   - version: the body kind's version when `group` is set.
    ///   - verbs: the supported verbs.
    public init(name: String, kind: String, group: String? = nil, version: String? = nil, verbs: [String]) {
        self.name = name
        self.kind = kind
        self.group = group
        self.version = version
        self.verbs = verbs
    }
}

/// One served resource (a REST collection) of the API server.
public struct APIResourceInfo: Sendable, Hashable {
    /// The API group; "" for core.
    public var group: String
    /// The version, e.g. "v1".
    public var version: String
    /// The kind of the objects, e.g. "Pod".
    public var kind: String
    /// The resource (URL) name, plural and lower case, e.g. "pods".
    public var plural: String
    /// The singular name, e.g. "pod" (upstream: the lower-cased kind).
    public var singular: String
    /// kubectl short names, e.g. ["po"].
    public var shortNames: [String]
    /// Whether objects live in namespaces.
    public var namespaced: Bool
    /// The verbs of the main resource, as upstream discovery lists them (sorted).
    public var verbs: [String]
    /// Categories such as "all" (`kubectl get all`) or "api-extensions".
    public var categories: [String]
    /// The subresources, sorted by name.
    public var subresources: [APISubresourceInfo]
    /// The storage version hash upstream discovery publishes; nil where not known (it is optional).
    public var storageVersionHash: String?

    /// Creates a resource entry.
    /// - Parameters:
    ///   - group: the API group ("" for core).
    ///   - version: the version.
    ///   - kind: the kind.
    ///   - plural: the resource name.
    ///   - singular: the singular name; nil = the lower-cased kind.
    ///   - shortNames: kubectl short names.
    ///   - namespaced: whether objects are namespaced.
    ///   - verbs: the verbs.
    ///   - categories: the categories.
    ///   - subresources: the subresources.
    ///   - storageVersionHash: the storage version hash, if known.
    public init(
        group: String, version: String, kind: String, plural: String, singular: String? = nil,
        shortNames: [String] = [], namespaced: Bool, verbs: [String], categories: [String] = [],
        subresources: [APISubresourceInfo] = [], storageVersionHash: String? = nil
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.singular = singular ?? kind.lowercased()
        self.shortNames = shortNames
        self.namespaced = namespaced
        self.verbs = verbs
        self.categories = categories
        self.subresources = subresources
        self.storageVersionHash = storageVersionHash
    }

    /// "v1" for core, else "group/version".
    public var groupVersion: String { group.isEmpty ? version : group + "/" + version }

    /// The object kind as a group/version/kind.
    public var groupVersionKind: APIModelKind { APIModelKind(group: group, version: version, kind: kind) }

    /// "pods" for core, else "deployments.apps": the group-qualified name kubectl and RBAC messages print.
    public var qualifiedName: String { group.isEmpty ? plural : plural + "." + group }

    /// The URL path prefix of the group/version: "/api/v1" or "/apis/apps/v1".
    public var pathPrefix: String { group.isEmpty ? "/api/" + version : "/apis/" + group + "/" + version }

    /// Whether the main resource supports `verb` (e.g. "watch").
    /// - Parameters:
    ///   - verb: the verb.
    public func supports(_ verb: String) -> Bool { verbs.contains(verb) }

    /// The subresource named `name` (e.g. "status"), if served.
    /// - Parameters:
    ///   - name: the part after the slash.
    public func subresource(_ name: String) -> APISubresourceInfo? { subresources.first { $0.name == name } }
}

/// One API group as `/apis` lists it.
public struct APIGroupInfo: Sendable, Hashable {
    /// The group name; "" for core (served under /api).
    public var name: String
    /// The served versions, preferred first.
    public var versions: [String]

    /// Creates a group entry.
    /// - Parameters:
    ///   - name: the group name.
    ///   - versions: the versions, preferred first.
    public init(name: String, versions: [String]) {
        self.name = name
        self.versions = versions
    }

    /// The preferred version (the first).
    public var preferredVersion: String { versions.first ?? "v1" }

    /// "group/version" strings of the served versions, preferred first ("v1" for core).
    public var groupVersions: [String] { versions.map { name.isEmpty ? $0 : name + "/" + $0 } }
}

/// The table of every resource the API server serves, with the lookups discovery, routing, RBAC and a
/// kubectl-style resolver need.
public enum ResourceTable {
    /// Every served resource, in discovery order.
    public static let resources: [APIResourceInfo] = makeResources()

    /// The served groups in discovery order: core ("") first, then the named groups in upstream priority order.
    public static let groups: [APIGroupInfo] = {
        var order: [String] = []
        var versions: [String: [String]] = [:]
        for r in resources {
            if versions[r.group] == nil { order.append(r.group) }
            if !(versions[r.group]?.contains(r.version) ?? false) { versions[r.group, default: []].append(r.version) }
        }
        return order.map { APIGroupInfo(name: $0, versions: versions[$0] ?? []) }
    }()

    /// The named groups (everything but core), as `/apis` lists them.
    public static var namedGroups: [APIGroupInfo] { groups.filter { !$0.name.isEmpty } }

    private struct GVR: Hashable {
        var group: String
        var version: String
        var plural: String
    }

    private static let byGVR: [GVR: APIResourceInfo] = {
        var m: [GVR: APIResourceInfo] = [:]
        for r in resources { m[GVR(group: r.group, version: r.version, plural: r.plural)] = r }
        return m
    }()

    /// The group entry named `name` ("" for core).
    /// - Parameters:
    ///   - name: the group name.
    public static func group(_ name: String) -> APIGroupInfo? { groups.first { $0.name == name } }

    /// The resource served at `group/version/plural`, e.g. ("apps", "v1", "deployments").
    /// - Parameters:
    ///   - group: the group ("" for core).
    ///   - version: the version.
    ///   - plural: the resource name.
    public static func resource(group: String, version: String, plural: String) -> APIResourceInfo? {
        byGVR[GVR(group: group, version: version, plural: plural)]
    }

    /// The resources of one group/version in discovery order (what `/api/v1` or `/apis/<g>/<v>` lists).
    /// - Parameters:
    ///   - group: the group ("" for core).
    ///   - version: the version.
    public static func resources(group: String, version: String) -> [APIResourceInfo] {
        resources.filter { $0.group == group && $0.version == version }
    }

    /// The resource whose objects have `kind` in `group` (any served version when `version` is nil).
    /// - Parameters:
    ///   - kind: the kind, e.g. "Deployment".
    ///   - group: the group ("" for core).
    ///   - version: the version, or nil for the first served one.
    public static func resource(kind: String, group: String, version: String? = nil) -> APIResourceInfo? {
        resources.first { $0.kind == kind && $0.group == group && (version == nil || $0.version == version) }
    }

    /// The resources in a category, e.g. "all" for `kubectl get all`, in discovery order.
    /// - Parameters:
    ///   - category: the category name.
    public static func resources(inCategory category: String) -> [APIResourceInfo] {
        // One entry per group and resource (the preferred version, listed first), as kubectl expands `all`.
        var seen = Set<String>()
        return resources.filter { $0.categories.contains(category) && seen.insert($0.qualifiedName).inserted }
    }

    /// Resolves a kubectl resource argument the way kubectl's RESTMapper does: `po`, `pod`, `pods`, `Pod`,
    /// `deploy`, `deployments.apps`, `deployments.v1.apps`, `ev` (core events win over events.k8s.io by group
    /// priority). Returns nil when nothing matches.
    /// - Parameters:
    ///   - argument: the resource argument as typed.
    public static func resolve(_ argument: String) -> APIResourceInfo? { resolveAll(argument).first }

    /// Every resource the argument could mean, best first (see ``resolve(_:)``).
    /// - Parameters:
    ///   - argument: the resource argument as typed.
    public static func resolveAll(_ argument: String) -> [APIResourceInfo] {
        let arg = argument.lowercased()
        guard !arg.isEmpty else { return [] }
        // kubectl's schema.ParseResourceArg: "res.version.group" (if the second part looks like a version),
        // then "res.group".
        var candidates: [(name: String, group: String?, version: String?)] = []
        let parts = arg.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        if parts.count == 3, looksLikeVersion(parts[1]) {
            candidates.append((parts[0], parts[2], parts[1]))
        }
        if let dot = arg.firstIndex(of: ".") {
            candidates.append((String(arg[..<dot]), String(arg[arg.index(after: dot)...]), nil))
        } else {
            candidates.append((arg, nil, nil))
        }
        for c in candidates {
            let matches = resources.filter { r in
                (c.group == nil || r.group == c.group) && (c.version == nil || r.version == c.version)
                    && (r.plural == c.name || r.singular == c.name || r.shortNames.contains(c.name)
                        || r.kind.lowercased() == c.name)
            }
            if !matches.isEmpty {
                // Within a match set, exact plural/singular beat short names (kubectl expands short names only
                // when no resource has that name).
                let exact = matches.filter {
                    $0.plural == c.name || $0.singular == c.name || $0.kind.lowercased() == c.name
                }
                return exact.isEmpty ? matches : exact + matches.filter { !exact.contains($0) }
            }
        }
        return []
    }

    private static func looksLikeVersion(_ s: String) -> Bool {
        guard s.first == "v", s.count > 1 else { return false }
        let rest = s.dropFirst()
        guard let firstDigit = rest.first, firstDigit.isNumber else { return false }
        return rest.allSatisfy { $0.isNumber || $0.isLetter }
    }

    // MARK: - The table

    static let all8 = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
    static let noCollectionDelete = ["create", "delete", "get", "list", "patch", "update", "watch"]
    static let createOnly = ["create"]
    static let getPatchUpdate = ["get", "patch", "update"]
    static let proxyVerbs = ["create", "delete", "get", "patch", "update"]

    private static func status(_ kind: String) -> APISubresourceInfo {
        APISubresourceInfo(name: "status", kind: kind, verbs: getPatchUpdate)
    }

    private static let scale = APISubresourceInfo(
        name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: getPatchUpdate)

    // swiftlint:disable:next function_body_length
    private static func makeResources() -> [APIResourceInfo] {
        typealias R = APIResourceInfo
        typealias S = APISubresourceInfo
        let core: [R] = [
            R(group: "", version: "v1", kind: "Binding", plural: "bindings", namespaced: true, verbs: createOnly),
            R(group: "", version: "v1", kind: "ComponentStatus", plural: "componentstatuses", shortNames: ["cs"],
              namespaced: false, verbs: ["get", "list"]),
            R(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"], namespaced: true,
              verbs: all8),
            R(group: "", version: "v1", kind: "Endpoints", plural: "endpoints", shortNames: ["ep"], namespaced: true,
              verbs: all8),
            R(group: "", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"], namespaced: true,
              verbs: all8),
            R(group: "", version: "v1", kind: "LimitRange", plural: "limitranges", shortNames: ["limits"],
              namespaced: true, verbs: all8),
            R(group: "", version: "v1", kind: "Namespace", plural: "namespaces", shortNames: ["ns"], namespaced: false,
              verbs: noCollectionDelete,
              subresources: [S(name: "finalize", kind: "Namespace", verbs: ["update"]), status("Namespace")]),
            R(group: "", version: "v1", kind: "Node", plural: "nodes", shortNames: ["no"], namespaced: false,
              verbs: all8,
              subresources: [S(name: "proxy", kind: "NodeProxyOptions", verbs: proxyVerbs), status("Node")]),
            R(group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims",
              shortNames: ["pvc"], namespaced: true, verbs: all8, subresources: [status("PersistentVolumeClaim")]),
            R(group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", shortNames: ["pv"],
              namespaced: false, verbs: all8, subresources: [status("PersistentVolume")]),
            R(group: "", version: "v1", kind: "Pod", plural: "pods", shortNames: ["po"], namespaced: true, verbs: all8,
              categories: ["all"],
              subresources: [
                  S(name: "attach", kind: "PodAttachOptions", verbs: ["create", "get"]),
                  S(name: "binding", kind: "Binding", verbs: createOnly),
                  S(name: "ephemeralcontainers", kind: "Pod", verbs: getPatchUpdate),
                  S(name: "eviction", kind: "Eviction", group: "policy", version: "v1", verbs: createOnly),
                  S(name: "exec", kind: "PodExecOptions", verbs: ["create", "get"]),
                  S(name: "log", kind: "Pod", verbs: ["get"]),
                  S(name: "portforward", kind: "PodPortForwardOptions", verbs: ["create", "get"]),
                  S(name: "proxy", kind: "PodProxyOptions", verbs: proxyVerbs),
                  status("Pod"),
              ]),
            R(group: "", version: "v1", kind: "PodTemplate", plural: "podtemplates", namespaced: true, verbs: all8),
            R(group: "", version: "v1", kind: "ReplicationController", plural: "replicationcontrollers",
              shortNames: ["rc"], namespaced: true, verbs: all8, categories: ["all"],
              subresources: [scale, status("ReplicationController")]),
            R(group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", shortNames: ["quota"],
              namespaced: true, verbs: all8, subresources: [status("ResourceQuota")]),
            R(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true, verbs: all8),
            R(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", shortNames: ["sa"],
              namespaced: true, verbs: all8,
              subresources: [
                  S(name: "token", kind: "TokenRequest", group: "authentication.k8s.io", version: "v1",
                    verbs: createOnly)
              ]),
            R(group: "", version: "v1", kind: "Service", plural: "services", shortNames: ["svc"], namespaced: true,
              verbs: all8, categories: ["all"],
              subresources: [S(name: "proxy", kind: "ServiceProxyOptions", verbs: proxyVerbs), status("Service")]),
        ]
        let named: [R] = [
            // apiregistration.k8s.io
            R(group: "apiregistration.k8s.io", version: "v1", kind: "APIService", plural: "apiservices",
              namespaced: false, verbs: all8, categories: ["api-extensions"], subresources: [status("APIService")]),
            // apps
            R(group: "apps", version: "v1", kind: "ControllerRevision", plural: "controllerrevisions", namespaced: true,
              verbs: all8),
            R(group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", shortNames: ["ds"],
              namespaced: true, verbs: all8, categories: ["all"], subresources: [status("DaemonSet")]),
            R(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", shortNames: ["deploy"],
              namespaced: true, verbs: all8, categories: ["all"], subresources: [scale, status("Deployment")]),
            R(group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", shortNames: ["rs"],
              namespaced: true, verbs: all8, categories: ["all"], subresources: [scale, status("ReplicaSet")]),
            R(group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", shortNames: ["sts"],
              namespaced: true, verbs: all8, categories: ["all"], subresources: [scale, status("StatefulSet")]),
            // events.k8s.io
            R(group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"],
              namespaced: true, verbs: all8),
            // authentication.k8s.io
            R(group: "authentication.k8s.io", version: "v1", kind: "SelfSubjectReview", plural: "selfsubjectreviews",
              namespaced: false, verbs: createOnly),
            R(group: "authentication.k8s.io", version: "v1", kind: "TokenReview", plural: "tokenreviews",
              namespaced: false, verbs: createOnly),
            // authorization.k8s.io
            R(group: "authorization.k8s.io", version: "v1", kind: "LocalSubjectAccessReview",
              plural: "localsubjectaccessreviews", namespaced: true, verbs: createOnly),
            R(group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview",
              plural: "selfsubjectaccessreviews", namespaced: false, verbs: createOnly),
            R(group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectRulesReview",
              plural: "selfsubjectrulesreviews", namespaced: false, verbs: createOnly),
            R(group: "authorization.k8s.io", version: "v1", kind: "SubjectAccessReview",
              plural: "subjectaccessreviews", namespaced: false, verbs: createOnly),
            // autoscaling
            R(group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers",
              shortNames: ["hpa"], namespaced: true, verbs: all8, categories: ["all"],
              subresources: [status("HorizontalPodAutoscaler")]),
            // autoscaling/v1: the same stored objects through v1's CPU-only view (APIServer's AutoscalingV1Translation).
            R(group: "autoscaling", version: "v1", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers",
              shortNames: ["hpa"], namespaced: true, verbs: all8, categories: ["all"],
              subresources: [status("HorizontalPodAutoscaler")]),
            // batch
            R(group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", shortNames: ["cj"], namespaced: true,
              verbs: all8, categories: ["all"], subresources: [status("CronJob")]),
            R(group: "batch", version: "v1", kind: "Job", plural: "jobs", namespaced: true, verbs: all8,
              categories: ["all"], subresources: [status("Job")]),
            // certificates.k8s.io
            R(group: "certificates.k8s.io", version: "v1", kind: "CertificateSigningRequest",
              plural: "certificatesigningrequests", shortNames: ["csr"], namespaced: false, verbs: all8,
              subresources: [
                  S(name: "approval", kind: "CertificateSigningRequest", verbs: getPatchUpdate),
                  status("CertificateSigningRequest"),
              ]),
            // networking.k8s.io
            R(group: "networking.k8s.io", version: "v1", kind: "IngressClass", plural: "ingressclasses",
              namespaced: false, verbs: all8),
            R(group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", shortNames: ["ing"],
              namespaced: true, verbs: all8, subresources: [status("Ingress")]),
            R(group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", plural: "networkpolicies",
              shortNames: ["netpol"], namespaced: true, verbs: all8),
            // policy
            R(group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets",
              shortNames: ["pdb"], namespaced: true, verbs: all8, subresources: [status("PodDisruptionBudget")]),
            // rbac.authorization.k8s.io
            R(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding",
              plural: "clusterrolebindings", namespaced: false, verbs: all8),
            R(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles",
              namespaced: false, verbs: all8),
            R(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings",
              namespaced: true, verbs: all8),
            R(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true,
              verbs: all8),
            // storage.k8s.io
            R(group: "storage.k8s.io", version: "v1", kind: "CSIDriver", plural: "csidrivers", namespaced: false,
              verbs: all8),
            R(group: "storage.k8s.io", version: "v1", kind: "CSINode", plural: "csinodes", namespaced: false,
              verbs: all8),
            R(group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses",
              shortNames: ["sc"], namespaced: false, verbs: all8),
            R(group: "storage.k8s.io", version: "v1", kind: "VolumeAttachment", plural: "volumeattachments",
              namespaced: false, verbs: all8, subresources: [status("VolumeAttachment")]),
            // admissionregistration.k8s.io
            R(group: "admissionregistration.k8s.io", version: "v1", kind: "MutatingWebhookConfiguration",
              plural: "mutatingwebhookconfigurations", namespaced: false, verbs: all8, categories: ["api-extensions"]),
            R(group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingWebhookConfiguration",
              plural: "validatingwebhookconfigurations", namespaced: false, verbs: all8,
              categories: ["api-extensions"]),
            // apiextensions.k8s.io
            R(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition",
              plural: "customresourcedefinitions", shortNames: ["crd", "crds"], namespaced: false, verbs: all8,
              categories: ["api-extensions"], subresources: [status("CustomResourceDefinition")]),
            // scheduling.k8s.io
            R(group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", plural: "priorityclasses",
              shortNames: ["pc"], namespaced: false, verbs: all8),
            // coordination.k8s.io
            R(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true,
              verbs: all8),
            // node.k8s.io
            R(group: "node.k8s.io", version: "v1", kind: "RuntimeClass", plural: "runtimeclasses", namespaced: false,
              verbs: all8),
            // discovery.k8s.io
            R(group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", plural: "endpointslices",
              namespaced: true, verbs: all8),
        ]
        return (core + named).map { resource in
            var r = resource
            r.storageVersionHash = storageVersionHashes[r.groupVersion + "/" + r.plural]
            return r
        }
    }

    /// Upstream's storage version hashes, keyed "group/version/plural" ("v1/plural" for core), as kubernetes'
    /// `pkg/controlplane/storageversionhashdata` lists them: base64 of the first 8 bytes of
    /// sha256("storageGroup/storageVersion/Kind"). Virtual resources (bindings, componentstatuses, reviews) have none.
    /// The values depend on the *storage* version: events.k8s.io events are stored as core v1 Events, HPAs as
    /// autoscaling/v2, CRDs as apiextensions.k8s.io/v1beta1.
    static let storageVersionHashes: [String: String] = [
        "v1/configmaps": "qFsyl6wFWjQ=",
        "v1/endpoints": "fWeeMqaN/OA=",
        "v1/events": "r2yiGXH7wu8=",
        "v1/limitranges": "EBKMFVe6cwo=",
        "v1/namespaces": "Q3oi5N2YM8M=",
        "v1/nodes": "XwShjMxG9Fs=",
        "v1/persistentvolumeclaims": "QWTyNDq0dC4=",
        "v1/persistentvolumes": "HN/zwEC+JgM=",
        "v1/pods": "xPOwRZ+Yhw8=",
        "v1/podtemplates": "LIXB2x4IFpk=",
        "v1/replicationcontrollers": "Jond2If31h0=",
        "v1/resourcequotas": "8uhSgffRX6w=",
        "v1/secrets": "S6u1pOWzb84=",
        "v1/serviceaccounts": "pbx9ZvyFpBE=",
        "v1/services": "0/CO1lhkEBI=",
        "autoscaling/v2/horizontalpodautoscalers": "qwQve8ut294=",
        "autoscaling/v1/horizontalpodautoscalers": "qwQve8ut294=",
        "batch/v1/jobs": "mudhfqk/qZY=",
        "batch/v1/cronjobs": "sd5LIXh4Fjs=",
        "certificates.k8s.io/v1/certificatesigningrequests": "95fRKMXA+00=",
        "coordination.k8s.io/v1/leases": "gqkMMb/YqFM=",
        "discovery.k8s.io/v1/endpointslices": "qgS0xkrxYAI=",
        "networking.k8s.io/v1/networkpolicies": "YpfwF18m1G8=",
        "networking.k8s.io/v1/ingresses": "39NQlfNR+bo=",
        "networking.k8s.io/v1/ingressclasses": "l/iqIbDgFyQ=",
        "node.k8s.io/v1/runtimeclasses": "WQTu1GL3T2Q=",
        "policy/v1/poddisruptionbudgets": "EVWiDmWqyJw=",
        "rbac.authorization.k8s.io/v1/clusterrolebindings": "48tpQ8gZHFc=",
        "rbac.authorization.k8s.io/v1/clusterroles": "bYE5ZWDrJ44=",
        "rbac.authorization.k8s.io/v1/rolebindings": "eGsCzGH6b1g=",
        "rbac.authorization.k8s.io/v1/roles": "7FuwZcIIItM=",
        "scheduling.k8s.io/v1/priorityclasses": "1QwjyaZjj3Y=",
        "storage.k8s.io/v1/csidrivers": "hL6j/rwBV5w=",
        "storage.k8s.io/v1/csinodes": "Pe62DkZtjuo=",
        "storage.k8s.io/v1/storageclasses": "K+m6uJwbjGY=",
        "storage.k8s.io/v1/volumeattachments": "tJx/ezt6UDU=",
        "apps/v1/controllerrevisions": "85nkx63pcBU=",
        "apps/v1/daemonsets": "dd7pWHUlMKQ=",
        "apps/v1/deployments": "8aSe+NMegvE=",
        "apps/v1/replicasets": "P1RzHs8/mWQ=",
        "apps/v1/statefulsets": "H+vl74LkKdo=",
        "admissionregistration.k8s.io/v1/mutatingwebhookconfigurations": "Sqi0GUgDaX0=",
        "admissionregistration.k8s.io/v1/validatingwebhookconfigurations": "B0wHjQmsGNk=",
        "events.k8s.io/v1/events": "r2yiGXH7wu8=",
        "apiextensions.k8s.io/v1/customresourcedefinitions": "jfWCUB31mvA=",
        "apiregistration.k8s.io/v1/apiservices": "InPBPD7+PqM=",
    ]
}
