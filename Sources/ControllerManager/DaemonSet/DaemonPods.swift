import KubeAPI

/// Daemon pods: the template they are made from and the node each one is meant for.
public enum DaemonPods {
    /// The label with the ControllerRevision hash of the template a pod was made from.
    public static let revisionHashLabel = "controller-revision-hash"
    /// The legacy label with the template generation (upstream `DaemonSetTemplateGenerationKey`).
    public static let templateGenerationLabel = "pod-template-generation"
    /// The annotation the API server keeps the template generation in.
    public static let templateGenerationAnnotation = "deprecated.daemonset.template.generation"

    /// Upstream `util.CreatePodTemplate`: the template plus the daemon tolerations and the generation and hash
    /// labels.
    /// - Parameters:
    ///   - daemonSet: the DaemonSet.
    ///   - hash: the current ControllerRevision hash.
    public static func template(_ daemonSet: JSONValue, hash: String) -> JSONValue {
        var template = daemonSet[path: ["spec", "template"]] ?? .emptyObject
        var spec = template["spec"] ?? .emptyObject
        DaemonTolerations.add(to: &spec)
        template["spec"] = spec
        var labels = template.metadata.labels
        if let generation = templateGeneration(daemonSet) { labels[templateGenerationLabel] = String(generation) }
        if !hash.isEmpty { labels[revisionHashLabel] = hash }
        template.metadata.labels = labels
        return template
    }

    /// The DaemonSet's template generation annotation, if valid.
    /// - Parameters:
    ///   - daemonSet: the DaemonSet.
    public static func templateGeneration(_ daemonSet: JSONValue) -> Int64? {
        daemonSet.metadata.annotations[templateGenerationAnnotation].flatMap { Int64($0) }
    }

    /// The pod to create for a node: the template with its required node affinity replaced by
    /// `matchFields metadata.name In [node]` (upstream `ReplaceDaemonSetPodNodeNameNodeAffinity`), so the
    /// scheduler binds it there and nowhere else. The template's own affinity terms were already checked by the
    /// controller; other affinity kinds and preferred terms are kept.
    /// - Parameters:
    ///   - daemonSet: the DaemonSet.
    ///   - nodeName: the node.
    ///   - hash: the current ControllerRevision hash.
    public static func pod(for daemonSet: JSONValue, nodeName: String, hash: String) -> JSONValue {
        var template = template(daemonSet, hash: hash)
        let term: JSONValue = ["matchFields": [["key": "metadata.name", "operator": "In", "values": [.string(nodeName)]]]]
        template[path: ["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]] = [term]
        return PodTemplate.pod(from: template, owner: daemonSet, ownerKind: .daemonSet)
    }

    /// Upstream `util.GetTargetNodeName`: `spec.nodeName`, or for a pod not yet scheduled the node its
    /// `matchFields metadata.name In` term names; nil when there is none (or it names several).
    /// - Parameters:
    ///   - pod: a daemon pod.
    public static func targetNodeName(_ pod: JSONValue) -> String? {
        if let name = pod[path: ["spec", "nodeName"]]?.string, !name.isEmpty { return name }
        let terms = pod[path: ["spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"]]?.array ?? []
        for term in terms {
            for field in term["matchFields"]?.array ?? [] where field["key"]?.string == "metadata.name" && field["operator"]?.string == "In" {
                let values = field["values"]?.array ?? []
                return values.count == 1 ? values[0].string : nil
            }
        }
        return nil
    }

    /// Upstream `util.IsPodUpdated`: the pod carries the current hash (or the current template generation).
    /// - Parameters:
    ///   - pod: a daemon pod.
    ///   - hash: the current hash.
    ///   - generation: the template generation, if known.
    public static func isUpdated(_ pod: JSONValue, hash: String, generation: Int64?) -> Bool {
        let labels = pod.metadata.labels
        let generationMatches = generation.map { labels[templateGenerationLabel] == String($0) } ?? false
        return (!hash.isEmpty && labels[revisionHashLabel] == hash) || generationMatches
    }

    /// Scheduled first, then older first, then by name (upstream `podByCreationTimestampAndPhase`).
    public static func scheduledThenOlder(_ a: JSONValue, _ b: JSONValue) -> Bool {
        let (na, nb) = (PodView(a).nodeName.isEmpty, PodView(b).nodeName.isEmpty)
        if na != nb { return !na }
        let (ta, tb) = (a.metadata.creationTimestamp, b.metadata.creationTimestamp)
        if ta == tb { return (a.metadata.name ?? "") < (b.metadata.name ?? "") }
        return (ta ?? KubeTime(seconds: Int64.min / 2)) < (tb ?? KubeTime(seconds: Int64.min / 2))
    }
}
