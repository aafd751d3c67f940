/// Upstream's `NodeSelectorTerm` semantics, shared by the scheduler (pod node affinity, volume node affinity), the
/// DaemonSet controller and the volume binder: terms are ORed; within a term every expression (on labels) and every
/// field (only `metadata.name`) must hold; an empty term matches no node.
public enum NodeSelectorTerms {
    /// Whether any of `terms` matches a node with these labels and name.
    public static func matchAny(_ terms: [JSONValue], labels: some LabelLookup, name: String?) -> Bool {
        terms.contains { matches(term: $0, labels: labels, name: name) }
    }

    public static func matches(term: JSONValue, labels: some LabelLookup, name: String?) -> Bool {
        let expressions = term["matchExpressions"]?.array ?? []
        let fields = term["matchFields"]?.array ?? []
        if expressions.isEmpty && fields.isEmpty { return false }
        for expression in expressions where !evaluate(expression, value: labels.labelValue(expression["key"]?.string ?? "")) { return false }
        for field in fields {
            guard field["key"]?.string == "metadata.name", evaluate(field, value: name) else { return false }
        }
        return true
    }

    /// One requirement (`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`) against a label's value.
    public static func evaluate(_ requirement: JSONValue, value: String?) -> Bool {
        let values = (requirement["values"]?.array ?? []).compactMap(\.string)
        let number = { (text: String?) in text.flatMap { Int64($0) } }
        switch requirement["operator"]?.string ?? "" {
        case "In": return value.map(values.contains) ?? false
        case "NotIn": return !(value.map(values.contains) ?? false)
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt":
            guard let have = number(value), values.count == 1, let limit = number(values[0]) else { return false }
            return have > limit
        case "Lt":
            guard let have = number(value), values.count == 1, let limit = number(values[0]) else { return false }
            return have < limit
        default: return false
        }
    }
}
