/// A parsed label selector: requirements that must all hold (comma means AND).
///
/// Built from the query-string form (`app=web,tier in (fe,be),!canary`) or from the `metav1.LabelSelector` API
/// type (`matchLabels` + `matchExpressions`); both yield the same matcher, so list filtering, watch filtering and
/// controllers (ReplicaSet, Deployment, Service endpoints) agree on what matches.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// The requirements, sorted by key as upstream keeps them.
    public var requirements: [LabelRequirement]
    /// True for the selector that matches nothing (a nil `LabelSelector` in an API object).
    public var matchesNothing: Bool

    /// Creates a selector from requirements.
    /// - Parameters:
    ///   - requirements: all must hold.
    public init(_ requirements: [LabelRequirement] = []) {
        self.requirements = requirements.sorted { $0.key < $1.key }
        self.matchesNothing = false
    }

    /// Matches every object (an empty selector).
    public static var everything: LabelSelector { LabelSelector() }
    /// Matches no object (an absent selector in an API object).
    public static var nothing: LabelSelector {
        var selector = LabelSelector()
        selector.matchesNothing = true
        return selector
    }

    /// Whether the selector has no requirements (and so matches everything).
    public var isEmpty: Bool { requirements.isEmpty && !matchesNothing }

    /// Whether a label set satisfies every requirement.
    /// - Parameters:
    ///   - labels: the object's labels.
    public func matches(_ labels: some LabelLookup) -> Bool {
        if matchesNothing { return false }
        return requirements.allSatisfy { $0.matches(labels) }
    }

    /// Whether an API object's `metadata.labels` satisfy the selector.
    /// - Parameters:
    ///   - object: an API object.
    public func matches(object: JSONValue) -> Bool {
        matches(object["metadata"]?["labels"]?.object.map(JSONLabels.init) ?? JSONLabels([:]))
    }

    /// The canonical query-string form (upstream `Selector.String()`).
    public var description: String { requirements.map(\.description).joined(separator: ",") }
}
