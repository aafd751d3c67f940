import KubeAPI

/// Reading and writing `status.conditions` entries the way upstream's per-type helpers do
/// (`GetCondition`/`SetCondition`/`RemoveCondition` in the replicaset and deployment utils).
public enum StatusConditions {
    /// The condition of a type, if present.
    /// - Parameters:
    ///   - conditions: the `conditions` array.
    ///   - type: the condition type.
    public static func get(_ conditions: [JSONValue], _ type: String) -> JSONValue? {
        conditions.first { $0["type"]?.string == type }
    }

    /// Sets a condition: nothing changes when one of the type already has the same status and reason; otherwise
    /// the old one is removed and the new one appended, keeping the old `lastTransitionTime` when the status did
    /// not change (deployment semantics; pass `keepTransitionTime: false` for replica sets, which always restamp).
    /// - Parameters:
    ///   - conditions: the array to edit.
    ///   - condition: the new condition.
    ///   - keepTransitionTime: carry `lastTransitionTime` over when the status is unchanged.
    public static func set(_ conditions: inout [JSONValue], _ condition: JSONValue, keepTransitionTime: Bool = true) {
        let type = condition["type"]?.string ?? ""
        var condition = condition
        if let current = get(conditions, type) {
            if current["status"] == condition["status"] && current["reason"] == condition["reason"] { return }
            if keepTransitionTime, current["status"] == condition["status"] {
                condition["lastTransitionTime"] = current["lastTransitionTime"]
            }
        }
        remove(&conditions, type)
        conditions.append(condition)
    }

    /// Removes every condition of a type.
    /// - Parameters:
    ///   - conditions: the array to edit.
    ///   - type: the condition type.
    public static func remove(_ conditions: inout [JSONValue], _ type: String) {
        conditions.removeAll { $0["type"]?.string == type }
    }
}
