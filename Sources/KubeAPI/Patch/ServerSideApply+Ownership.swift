/// Server-side apply with field ownership (upstream's structured-merge-diff): each apply records the fields its
/// manager applied in `metadata.managedFields`; applying a value to a field another manager owns is a conflict unless
/// forced (force moves the field to the applier); fields a manager applied before and no longer applies are removed
/// when nobody else owns them.
/// Other writes record `Update` ownership through `recordUpdate`; entries a client writes itself are kept.
extension ServerSideApply {
    /// One `metadata.managedFields` entry.
    public struct ManagedEntry: Sendable, Equatable {
        public var manager: String
        public var operation: String
        public var apiVersion: String
        public var time: String?
        public var subresource: String?
        public var fields: FieldSet

        public init(manager: String, operation: String, apiVersion: String, time: String?, subresource: String?, fields: FieldSet) {
            self.manager = manager; self.operation = operation; self.apiVersion = apiVersion
            self.time = time; self.subresource = subresource; self.fields = fields
        }

        init(json: JSONValue) {
            self.init(manager: json["manager"]?.string ?? "", operation: json["operation"]?.string ?? "",
                      apiVersion: json["apiVersion"]?.string ?? "", time: json["time"]?.string,
                      subresource: json["subresource"]?.string, fields: FieldSet(fieldsV1: json["fieldsV1"] ?? .emptyObject))
        }

        var json: JSONValue {
            var entry: JSONValue = ["manager": .string(manager), "operation": .string(operation), "apiVersion": .string(apiVersion)]
            if let time { entry["time"] = .string(time) }
            entry["fieldsType"] = "FieldsV1"
            entry["fieldsV1"] = fields.fieldsV1
            if let subresource { entry["subresource"] = .string(subresource) }
            return entry
        }

        func isApply(by manager: String, subresource: String?) -> Bool {
            self.manager == manager && operation == "Apply" && self.subresource == subresource
        }
    }

    /// Fields another manager owns that the apply would change.
    public struct Conflicts: Error, Sendable {
        public var items: [(manager: String, apiVersion: String, path: [String])]

        /// Upstream's wording: `Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`.
        public var message: String {
            let count = items.count == 1 ? "1 conflict" : "\(items.count) conflicts"
            let groups = Dictionary(grouping: items) { "\($0.manager)\u{0}\($0.apiVersion)" }
            let parts = groups.keys.sorted().map { key -> String in
                let group = groups[key] ?? []
                let head = "conflict\(group.count == 1 ? "" : "s") with \"\(group.first?.manager ?? "")\" using \(group.first?.apiVersion ?? "")"
                if group.count == 1, let only = group.first { return head + ": " + FieldSet.describe(only.path) }
                return head + ":\n" + group.map { "- " + FieldSet.describe($0.path) }.joined(separator: "\n")
            }
            return "Apply failed with \(count): " + parts.joined(separator: "\n")
        }
    }

    /// Applies `config` for `manager` onto `live` (nil: the apply creates the object) and returns the object with its
    /// updated `managedFields`.
    /// - Parameters:
    ///   - force: take fields other managers own instead of failing (`?force=true`, `kubectl apply --force-conflicts`).
    ///   - time: the entry's timestamp (RFC 3339).
    ///   - subresource: the subresource applied to (entries are per subresource).
    ///   - ignoringStatus: the object has a status subresource and this is a write of the main resource.
    public static func apply(_ config: JSONValue, onto live: JSONValue?, manager: String, force: Bool, time: String,
                             subresource: String? = nil, ignoringStatus: Bool, schema: (any PatchSchema)?,
                             rootType: String?) throws(Conflicts) -> JSONValue {
        let apiVersion = config["apiVersion"]?.string ?? live?["apiVersion"]?.string ?? ""
        let applied = FieldSet(of: config, schema: schema, rootType: rootType, ignoringStatus: ignoringStatus)
        var entries = (live?.metadata.managedFields ?? []).map(ManagedEntry.init(json:))
        let previous = entries.first { $0.isApply(by: manager, subresource: subresource) }?.fields ?? FieldSet()
        entries.removeAll { $0.isApply(by: manager, subresource: subresource) }

        var conflicts: [(manager: String, apiVersion: String, path: [String])] = []
        if let live {
            for index in entries.indices {
                let shared = entries[index].fields.intersection(applied)
                let changed = shared.paths.filter { path in
                    guard let last = path.last, last.hasPrefix("f:") else { return false }
                    return FieldSet.value(at: path, in: live) != FieldSet.value(at: path, in: config)
                }
                guard !changed.isEmpty else { continue }
                if force {
                    entries[index].fields = entries[index].fields.subtracting(FieldSet(changed))
                } else {
                    conflicts += changed.sorted { $0.lexicographicallyPrecedes($1) }
                        .map { (entries[index].manager, entries[index].apiVersion, $0) }
                }
            }
        }
        if !conflicts.isEmpty { throw Conflicts(items: conflicts) }

        var merged = apply(config, onto: live, schema: schema, rootType: rootType)
        let othersOwn = entries.reduce(FieldSet()) { $0.union($1.fields) }
        let dropped = previous.subtracting(applied).subtracting(othersOwn)
        for path in dropped.paths.sorted(by: { $0.count > $1.count }) {
            // A field still holds fields someone else owns: keep it (they are not the applier's to remove).
            let heldByOthers = othersOwn.paths.contains { $0.count > path.count && Array($0.prefix(path.count)) == path }
            if !heldByOthers { merged = FieldSet.removing(path, from: merged) }
        }
        entries.removeAll { $0.fields.isEmpty }
        entries.append(ManagedEntry(manager: manager, operation: "Apply", apiVersion: apiVersion, time: time,
                                    subresource: subresource, fields: applied))
        var meta = merged.metadata
        meta.managedFields = entries.map(\.json)
        merged.metadata = meta
        return merged
    }
}

extension ServerSideApply {
    /// Records a create, update or patch that is not an apply: the writer (operation `Update`) now owns the fields it
    /// set or changed, which leave every other manager's set, and fields it removed leave everyone's (upstream
    /// takes ownership silently on updates; only applies conflict).
    /// - Parameters:
    ///   - old: the object before the write; nil for a create (the writer owns every field).
    public static func recordUpdate(old: JSONValue?, new: JSONValue, manager: String, time: String, subresource: String? = nil,
                                    ignoringStatus: Bool, schema: (any PatchSchema)?, rootType: String?) -> JSONValue {
        let newLeaves = FieldSet.leaves(of: new, schema: schema, rootType: rootType, ignoringStatus: ignoringStatus)
        var changed = FieldSet(Set(newLeaves.keys))
        var removed = FieldSet()
        if let old {
            let oldLeaves = FieldSet.leaves(of: old, schema: schema, rootType: rootType, ignoringStatus: ignoringStatus)
            changed = FieldSet(Set(newLeaves.filter { oldLeaves[$0.key] != $0.value }.keys))
            removed = FieldSet(Set(oldLeaves.keys.filter { newLeaves[$0] == nil }))
        }
        var entries = (new.metadata.managedFields).map(ManagedEntry.init(json:))
        let touched = changed.union(removed)
        guard !touched.isEmpty else { return new }
        for index in entries.indices { entries[index].fields = entries[index].fields.subtracting(touched) }
        let mine = { (entry: ManagedEntry) in entry.manager == manager && entry.operation == "Update" && entry.subresource == subresource }
        if let index = entries.firstIndex(where: mine) {
            entries[index].fields = entries[index].fields.union(changed)
            entries[index].time = time
            entries[index].apiVersion = new["apiVersion"]?.string ?? entries[index].apiVersion
        } else if !changed.isEmpty {
            entries.append(ManagedEntry(manager: manager, operation: "Update", apiVersion: new["apiVersion"]?.string ?? "",
                                        time: time, subresource: subresource, fields: changed))
        }
        entries.removeAll { $0.fields.isEmpty }
        var result = new
        var meta = result.metadata
        meta.managedFields = entries.map(\.json)
        result.metadata = meta
        return result
    }
}
