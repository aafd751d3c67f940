import KubeAPI

/// Cell formatting rules shared by the column sets, each matching an upstream printer helper so cells read exactly
/// as a real API server writes them.
enum TableCells {
    /// Go's zero `time.Time` (0001-01-01T00:00:00Z), which upstream treats like an absent timestamp.
    private static let zeroTimeSeconds: Int64 = -62_135_596_800

    /// A timestamp field, nil when absent, null, unparsable or Go's zero time.
    /// - Parameters:
    ///   - value: an RFC 3339 string.
    static func time(_ value: JSONValue?) -> KubeTime? {
        guard let text = value?.string, let time = try? KubeTime(rfc3339: text), time.seconds != zeroTimeSeconds else {
            return nil
        }
        return time
    }

    /// Upstream's `translateTimestampSince`: the human duration from `timestamp` to `now`, "<unknown>" without one.
    /// - Parameters:
    ///   - timestamp: an RFC 3339 string.
    ///   - now: the instant ages are measured against.
    static func since(_ timestamp: JSONValue?, _ now: KubeTime) -> String {
        guard let start = time(timestamp) else { return "<unknown>" }
        return HumanDuration.between(start, now)
    }

    /// The "Age" cell: time since `metadata.creationTimestamp`.
    /// - Parameters:
    ///   - object: the object.
    ///   - now: the instant ages are measured against.
    static func age(_ object: JSONValue, _ now: KubeTime) -> JSONValue {
        .string(since(object[path: ["metadata", "creationTimestamp"]], now))
    }

    /// A string field, "" when absent (Go's zero value).
    /// - Parameters:
    ///   - value: the field.
    static func string(_ value: JSONValue?) -> String { value?.string ?? "" }

    /// An integer field, 0 when absent (Go's zero value).
    /// - Parameters:
    ///   - value: the field.
    static func integer(_ value: JSONValue?) -> Int64 { value?.int64 ?? 0 }

    /// An array field, empty when absent.
    /// - Parameters:
    ///   - value: the field.
    static func array(_ value: JSONValue?) -> [JSONValue] { value?.array ?? [] }

    /// The number of members of a map field (e.g. a ConfigMap's `data`).
    /// - Parameters:
    ///   - value: the field.
    static func count(_ value: JSONValue?) -> Int { value?.object?.count ?? value?.array?.count ?? 0 }

    /// `text`, or "<none>" when it is empty.
    /// - Parameters:
    ///   - text: the cell text.
    static func orNone(_ text: String) -> String { text.isEmpty ? "<none>" : text }

    /// Upstream's `labels.FormatLabels`: "k=v" pairs of a string map, sorted as strings and comma-joined; "<none>"
    /// for an empty or absent map (a Service selector, a DaemonSet node selector, pod template labels).
    /// - Parameters:
    ///   - map: the string map.
    static func labels(_ map: JSONValue?) -> String {
        let pairs = (map?.object ?? [:]).map { key, value in key + "=" + (value.string ?? "") }
        return orNone(pairs.sorted().joined(separator: ","))
    }

    /// Upstream's `metav1.FormatLabelSelector`: the selector's query-string form (requirements sorted by key),
    /// "<none>" when it selects everything or nothing, "<error>" when it is invalid.
    /// - Parameters:
    ///   - selector: a `metav1.LabelSelector` object.
    static func labelSelector(_ selector: JSONValue?) -> String {
        guard let parsed = try? LabelSelector(apiSelector: selector) else { return "<error>" }
        return orNone(parsed.description)
    }

    /// The container names and images of a pod spec, each comma-joined (upstream's `layoutContainerCells`).
    /// - Parameters:
    ///   - podSpec: a pod spec.
    static func containers(_ podSpec: JSONValue?) -> (names: String, images: String) {
        let containers = array(podSpec?["containers"])
        return (containers.map { string($0["name"]) }.joined(separator: ","),
                containers.map { string($0["image"]) }.joined(separator: ","))
    }

    /// Upstream's `printBoolPtr`: "True", "False", or "<unset>" when absent.
    /// - Parameters:
    ///   - value: a boolean field.
    static func boolPointer(_ value: JSONValue?) -> String {
        guard let flag = value?.bool else { return "<unset>" }
        return flag ? "True" : "False"
    }

    /// Upstream's `listWithMoreString`: up to `max` entries, then " + N more...", "<unset>" when there are none.
    /// - Parameters:
    ///   - list: the entries kept (at most `max`).
    ///   - total: how many entries there were.
    ///   - max: how many are kept.
    static func listWithMore(_ list: [String], total: Int, max: Int) -> String {
        let joined = list.joined(separator: ",")
        if total > max { return joined + " + \(total - max) more..." }
        return joined.isEmpty ? "<unset>" : joined
    }

    /// An IntOrString field as text (a PodDisruptionBudget's `minAvailable`).
    /// - Parameters:
    ///   - value: the field.
    static func intOrString(_ value: JSONValue) -> String {
        if let number = value.int64 { return String(number) }
        return value.string ?? ""
    }

    /// A quantity field in canonical form ("10Gi"); upstream prints a missing quantity as its zero value, "0".
    /// - Parameters:
    ///   - value: the quantity field.
    static func quantity(_ value: JSONValue?) -> String {
        guard let value else { return "0" }
        return (try? Quantity(json: value))?.canonicalString ?? (value.string ?? "0")
    }
}
