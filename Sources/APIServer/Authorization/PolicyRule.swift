import KubeAPI

/// One RBAC `PolicyRule`: what verbs it grants on which resources (or non-resource URLs).
public struct PolicyRule: Sendable, Hashable {
    public var verbs: [String]
    public var apiGroups: [String]
    public var resources: [String]
    public var resourceNames: [String]
    public var nonResourceURLs: [String]

    public init(verbs: [String], apiGroups: [String] = [], resources: [String] = [], resourceNames: [String] = [],
                nonResourceURLs: [String] = []) {
        self.verbs = verbs; self.apiGroups = apiGroups; self.resources = resources
        self.resourceNames = resourceNames; self.nonResourceURLs = nonResourceURLs
    }

    /// Reads a rule from its API form; missing or non-string entries are ignored (validation rejects them earlier).
    public init(json: JSONValue) {
        func strings(_ key: String) -> [String] { json[key]?.array?.compactMap(\.string) ?? [] }
        self.init(verbs: strings("verbs"), apiGroups: strings("apiGroups"), resources: strings("resources"),
                  resourceNames: strings("resourceNames"), nonResourceURLs: strings("nonResourceURLs"))
    }

    /// The API form, with fields in `rbacv1.PolicyRule` order and empty lists left out.
    public var json: JSONValue {
        var object: JSONValue = ["verbs": .array(verbs.map(JSONValue.string))]
        for (key, values) in [("apiGroups", apiGroups), ("resources", resources), ("resourceNames", resourceNames),
                              ("nonResourceURLs", nonResourceURLs)] where !values.isEmpty {
            object[key] = .array(values.map(JSONValue.string))
        }
        return object
    }

    /// Whether the rule grants the request (upstream `RuleAllows`): verb, group, resource (with `*` and
    /// `*/subresource`) and resource name for resource requests; verb and URL (with a trailing `*`) otherwise.
    public func allows(_ attributes: AuthorizationAttributes) -> Bool {
        guard verbs.contains("*") || verbs.contains(attributes.verb) else { return false }
        guard attributes.isResourceRequest else { return matchesURL(attributes.path) }
        guard apiGroups.contains("*") || apiGroups.contains(attributes.apiGroup) else { return false }
        guard matchesResource(attributes.resource, subresource: attributes.subresource) else { return false }
        return resourceNames.isEmpty || resourceNames.contains(attributes.name)
    }

    /// `*`, the exact `resource/subresource`, or `*/subresource` for any resource's subresource.
    func matchesResource(_ resource: String, subresource: String) -> Bool {
        let combined = subresource.isEmpty ? resource : resource + "/" + subresource
        return resources.contains { rule in
            rule == "*" || rule == combined || (!subresource.isEmpty && rule == "*/" + subresource)
        }
    }

    /// `*`, the exact path, or a prefix ending in `*` (`/apis/*` matches `/apis/apps/v1`).
    func matchesURL(_ path: String) -> Bool {
        nonResourceURLs.contains { rule in
            rule == "*" || rule == path || (rule.hasSuffix("*") && path.hasPrefix(String(rule.dropLast())))
        }
    }
}

// MARK: - Coverage (reconciliation)

extension PolicyRule {
    /// The rule split into single-verb, single-resource pieces (upstream `BreakdownRule`), so coverage can be
    /// checked piece by piece.
    var atoms: [PolicyRule] {
        var atoms: [PolicyRule] = []
        for group in apiGroups {
            for resource in resources {
                for verb in verbs {
                    if resourceNames.isEmpty {
                        atoms.append(PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource]))
                    } else {
                        for name in resourceNames {
                            atoms.append(PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource],
                                                    resourceNames: [name]))
                        }
                    }
                }
            }
        }
        for url in nonResourceURLs {
            for verb in verbs { atoms.append(PolicyRule(verbs: [verb], nonResourceURLs: [url])) }
        }
        return atoms
    }

    /// Whether this rule grants everything `atom` grants (upstream `ruleCovers`). A wildcard in the atom is only
    /// covered by a wildcard; a rule limited to names never covers an unlimited atom.
    func covers(atom: PolicyRule) -> Bool {
        func has(_ values: [String], _ wanted: [String]) -> Bool {
            values.contains("*") || wanted.allSatisfy(values.contains)
        }
        guard has(verbs, atom.verbs) else { return false }
        if !atom.nonResourceURLs.isEmpty {
            return atom.nonResourceURLs.allSatisfy { url in
                nonResourceURLs.contains { $0 == "*" || $0 == url || ($0.hasSuffix("*") && url.hasPrefix(String($0.dropLast()))) }
            }
        }
        guard has(apiGroups, atom.apiGroups) else { return false }
        let resourcesCovered = atom.resources.allSatisfy { wanted in
            resources.contains { owned in
                if owned == "*" || owned == wanted { return true }
                // `*/scale` covers `deployments/scale`.
                guard owned.hasPrefix("*/"), let slash = wanted.firstIndex(of: "/") else { return false }
                return owned.dropFirst(2) == wanted[wanted.index(after: slash)...]
            }
        }
        guard resourcesCovered else { return false }
        return resourceNames.isEmpty || (!atom.resourceNames.isEmpty && atom.resourceNames.allSatisfy(resourceNames.contains))
    }

    /// The rules of `wanted` that `owned` does not fully cover (upstream `validation.Covers` checks atom by atom;
    /// upstream then appends the uncovered atoms, we append the whole wanted rule, which grants the same and keeps
    /// the stored role readable).
    static func uncovered(_ wanted: [PolicyRule], by owned: [PolicyRule]) -> [PolicyRule] {
        wanted.filter { rule in rule.atoms.contains { atom in !owned.contains { $0.covers(atom: atom) } } }
    }
}
