/// Upstream's create and update validation for the kinds the API server serves, on the raw object.
/// The API server answers a non-empty result with 422 Invalid, one `Status` cause per error.
public enum ObjectValidation {
    /// How a kind's `metadata.name` is checked.
    enum NameRule { case subdomain, label, pathSegment }

    struct Rules: Sendable {
        var name: NameRule = .subdomain
        var create: @Sendable (JSONValue) -> [FieldError] = { _ in [] }
        /// Checks that only apply to updates (immutable fields); gets (new, old).
        var update: @Sendable (JSONValue, JSONValue) -> [FieldError] = { _, _ in [] }
    }

    /// Validates an object about to be created.
    public static func validateCreate(_ object: JSONValue) -> [FieldError] {
        let rules = self.rules(for: object)
        return metadata(object, rules: rules, creating: true) + rules.create(object)
    }

    /// Validates an update of `old` to `object`: everything create checks, plus immutable fields.
    public static func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        let rules = self.rules(for: object)
        var errors = metadata(object, rules: rules, creating: false) + rules.create(object) + rules.update(object, old)
        for field in ["name", "namespace", "uid", "creationTimestamp"] {
            let before = old[path: ["metadata", field]]
            if let before, !before.isNull, object[path: ["metadata", field]] != before {
                errors.append(.invalid("metadata.\(field)", object[path: ["metadata", field]]?.string ?? "", "field is immutable"))
            }
        }
        return errors
    }

    static func rules(for object: JSONValue) -> Rules {
        let group = (object["apiVersion"]?.string ?? "").split(separator: "/").dropLast().first.map(String.init) ?? ""
        return table["\(group)/\(object["kind"]?.string ?? "")"] ?? Rules()
    }

    static func metadata(_ object: JSONValue, rules: Rules, creating: Bool) -> [FieldError] {
        var errors: [FieldError] = []
        let name = object[path: ["metadata", "name"]]?.string ?? ""
        let generateName = object[path: ["metadata", "generateName"]]?.string ?? ""
        if name.isEmpty {
            if !(creating && !generateName.isEmpty) { errors.append(.required("metadata.name", "name or generateName is required")) }
        } else {
            switch rules.name {
            case .subdomain:
                for problem in NameValidation.subdomainErrors(name) { errors.append(.invalid("metadata.name", name, problem)) }
            case .label:
                if !NameValidation.isDNS1123Label(name) { errors.append(.invalid("metadata.name", name, NameValidation.dns1123LabelRule)) }
            case .pathSegment:
                if name == "." || name == ".." { errors.append(.invalid("metadata.name", name, "may not be '\(name)'")) }
                for bad in ["/", "%"] where name.contains(bad) {
                    errors.append(.invalid("metadata.name", name, "may not contain '\(bad)'"))
                }
            }
        }
        return errors + MetadataValidation.validateLabelsAndAnnotations(object["metadata"])
    }

    // MARK: - Shared pieces

    /// Workload controllers: a selector is required and must select the template's labels.
    static func selectorMatchesTemplate(_ object: JSONValue) -> [FieldError] {
        guard let selector = object[path: ["spec", "selector"]], !selector.isNull else { return [.required("spec.selector")] }
        let labels = object[path: ["spec", "template", "metadata", "labels"]]?.object ?? [:]
        let matchLabels = selector["matchLabels"]?.object ?? [:]
        let expressions = selector["matchExpressions"]?.array ?? []
        if matchLabels.isEmpty && expressions.isEmpty {
            return [.invalid("spec.selector", "{}", "empty selector is invalid for deployment")]
        }
        let matches = matchLabels.allSatisfy { labels[$0.key] == $0.value } && expressions.allSatisfy { expression in
            let key = expression["key"]?.string ?? ""
            let values = (expression["values"]?.array ?? []).compactMap(\.string)
            let value = labels[key]?.string
            switch expression["operator"]?.string {
            case "In": return value.map(values.contains) ?? false
            case "NotIn": return value.map { !values.contains($0) } ?? true
            case "Exists": return value != nil
            case "DoesNotExist": return value == nil
            default: return false
            }
        }
        return matches ? [] : [.invalid("spec.template.metadata.labels", "\(labels.keys.sorted())", "`selector` does not match template `labels`")]
    }

    static func nonNegative(_ object: JSONValue, _ path: [String]) -> [FieldError] {
        guard let value = object[path: path]?.int64, value < 0 else { return [] }
        return [.invalid(path.joined(separator: "."), "\(value)", "must be greater than or equal to 0")]
    }

    static func immutable(_ object: JSONValue, _ old: JSONValue, _ path: [String]) -> [FieldError] {
        object[path: path] == old[path: path] ? [] : [.invalid(path.joined(separator: "."), object[path: path]?.jsonString ?? "null", "field is immutable")]
    }

    static func workload(restartPolicies: [String] = ["Always"]) -> @Sendable (JSONValue) -> [FieldError] {
        { object in
            selectorMatchesTemplate(object) + nonNegative(object, ["spec", "replicas"])
                + PodSpecValidation.validate(object[path: ["spec", "template", "spec"]], path: "spec.template.spec",
                                             allowedRestartPolicies: restartPolicies)
        }
    }
}
