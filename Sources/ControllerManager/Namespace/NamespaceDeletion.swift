import KubeAPI

/// The objects of one resource type left in a namespace being deleted.
public struct NamespaceContent: Sendable, Hashable {
    /// The type, for the delete calls.
    public var kind: ResourceKind
    /// The plural resource name ("pods"), for status messages.
    public var resource: String
    /// What is still there.
    public var objects: [JSONValue]

    /// Describes remaining content.
    /// - Parameters:
    ///   - kind: the type.
    ///   - resource: the plural resource name.
    ///   - objects: the objects left.
    public init(kind: ResourceKind, resource: String, objects: [JSONValue]) {
        self.kind = kind
        self.resource = resource
        self.objects = objects
    }
}

/// What one pass over a terminating namespace decided.
public struct NamespaceDeletionPlan: Sendable, Hashable {
    /// Status write (phase Terminating, deletion conditions), `deletecollection` calls, and at the end the
    /// `finalize` write that removes the `kubernetes` finalizer.
    public var actions: [ControllerAction] = []
    /// Come back after this many seconds: content is still going away.
    public var requeueAfterSeconds: Int?
}

/// The namespace controller's decisions for a namespace being deleted (upstream
/// `pkg/controller/namespace/deletion`): mark it Terminating, delete all content of every namespaced type in the
/// background, report what remains (and which finalizers hold it) in the namespace conditions, and once nothing
/// remains drop the `kubernetes` finalizer from `spec.finalizers` so the API server removes the namespace.
public enum NamespaceDeletion {
    /// The finalizer this controller owns.
    public static let finalizer = "kubernetes"

    /// Decides one pass.
    /// - Parameters:
    ///   - namespace: the Namespace.
    ///   - content: what is left, one entry per namespaced resource type the loop listed.
    ///   - now: the current time.
    public static func plan(namespace: JSONValue, content: [NamespaceContent], now: KubeTime) -> NamespaceDeletionPlan {
        var plan = NamespaceDeletionPlan()
        guard namespace.metadata.isBeingDeleted else { return plan }
        let name = namespace.metadata.name ?? ""
        let specFinalizers = (namespace[path: ["spec", "finalizers"]]?.array ?? []).compactMap(\.string)

        let remaining = content.filter { !$0.objects.isEmpty }
        var status = namespace["status"] ?? .emptyObject
        status["phase"] = "Terminating"
        if !specFinalizers.isEmpty {
            status["conditions"] = .array(conditions(namespace, remaining: remaining, now: now))
        }
        if status != (namespace["status"] ?? .emptyObject) {
            var updated = namespace
            updated["status"] = status
            plan.actions.append(.updateStatus(updated))
        }
        guard specFinalizers.contains(finalizer) else { return plan }

        for entry in remaining where entry.objects.contains(where: { !$0.metadata.isBeingDeleted }) {
            plan.actions.append(.deleteCollection(entry.kind, namespace: name))
        }
        if remaining.isEmpty {
            var finalized = namespace
            finalized["status"] = status
            // An empty list, not an absent one: the API server defaults a missing list back to ["kubernetes"].
            finalized[path: ["spec", "finalizers"]] = .array(specFinalizers.filter { $0 != finalizer }.map(JSONValue.string))
            // The status write just before changed the resourceVersion; finalize touches only spec.finalizers,
            // which nothing but finalizers changes, so it needs no precondition of its own.
            if !plan.actions.isEmpty { finalized.metadata.resourceVersion = nil }
            plan.actions.append(.updateSubresource(finalized, subresource: "finalize"))
        } else {
            plan.requeueAfterSeconds = estimate(remaining, now: now)
        }
        return plan
    }

    /// Upstream's wait estimate: pods get their remaining grace period, anything else a few seconds.
    static func estimate(_ remaining: [NamespaceContent], now: KubeTime) -> Int {
        var seconds = 1
        for entry in remaining where entry.kind == .pod {
            for pod in entry.objects {
                let grace = pod.metadata.deletionGracePeriodSeconds ?? pod[path: ["spec", "terminationGracePeriodSeconds"]]?.int64 ?? 30
                let left = pod.metadata.deletionTimestamp.map { $0.seconds - now.seconds } ?? grace
                seconds = max(seconds, Int(max(0, left)))
            }
        }
        return seconds
    }

    /// The deletion conditions `kubectl get ns -o yaml` shows while a namespace terminates, with upstream's
    /// types, reasons and messages.
    static func conditions(_ namespace: JSONValue, remaining: [NamespaceContent], now: KubeTime) -> [JSONValue] {
        var finalizerCounts: [String: Int] = [:]
        for entry in remaining {
            for object in entry.objects {
                for finalizer in object.metadata.finalizers { finalizerCounts[finalizer, default: 0] += 1 }
            }
        }
        let contentMessage = remaining.map { "\($0.resource).\(group($0.kind.apiVersion)) has \($0.objects.count) resource instances" }
            .sorted().joined(separator: ", ")
        let finalizerMessage = finalizerCounts.sorted { $0.key < $1.key }.map { "\($0.key) in \($0.value) resource instances" }
            .joined(separator: ", ")
        let table: [(String, Bool, String, String)] = [
            ("NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered", "All resources successfully discovered"),
            ("NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions", "All legacy kube types successfully parsed"),
            ("NamespaceDeletionContentFailure", false, "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
            remaining.isEmpty
                ? ("NamespaceContentRemaining", false, "ContentRemoved", "All content successfully removed")
                : ("NamespaceContentRemaining", true, "SomeResourcesRemain", "Some resources are remaining: \(contentMessage)"),
            finalizerCounts.isEmpty
                ? ("NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers", "All content-preserving finalizers finished")
                : ("NamespaceFinalizersRemaining", true, "SomeFinalizersRemain",
                   "Some content in the namespace has finalizers remaining: \(finalizerMessage)"),
        ]
        var conditions = namespace[path: ["status", "conditions"]]?.array ?? []
        for (type, status, reason, message) in table {
            let statusText = status ? "True" : "False"
            let previous = StatusConditions.get(conditions, type)
            if previous?["status"]?.string == statusText && previous?["reason"]?.string == reason && previous?["message"]?.string == message {
                continue
            }
            let condition: JSONValue = ["type": .string(type), "status": .string(statusText),
                                        "lastTransitionTime": .string(now.rfc3339), "reason": .string(reason), "message": .string(message)]
            if let index = conditions.firstIndex(where: { $0["type"]?.string == type }) {
                conditions[index] = condition
            } else {
                conditions.append(condition)
            }
        }
        return conditions
    }

    static func group(_ apiVersion: String) -> String {
        apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
    }
}
