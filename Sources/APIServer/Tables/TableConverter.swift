import KubeAPI

/// Server-side Table output (`meta.k8s.io/v1` `Table`) for `kubectl get`.
///
/// kubectl asks for a Table on lists, single GETs and watches; without one it can only print NAME and AGE. The HTTP
/// layer checks `wantsTable(accept:)` and, when true, passes what the Registry produced through one of the
/// conversions below. Every column is filled, wide ones included; kubectl hides priority-1 columns unless `-o wide`.
public enum TableConverter {
    /// The `apiVersion` of every Table this server produces.
    static let apiVersion = "meta.k8s.io/v1"

    /// True when the Accept header asks for `as=Table` (g=meta.k8s.io, v=v1 or v1beta1) before any plain json entry.
    /// - Parameters:
    ///   - accept: the request's `Accept` header.
    public static func wantsTable(accept: String?) -> Bool { TableAccept.wantsTable(accept) }

    /// The Table for a list response.
    ///
    /// The Table's metadata carries the list's `resourceVersion`, `continue` and `remainingItemCount`, so paging
    /// (`--chunk-size`) and the follow-up watch of `get -w` work from it.
    /// - Parameters:
    ///   - resource: the listed resource; it picks the columns.
    ///   - list: the `<Kind>List` the Registry returned.
    ///   - includeObject: what each row embeds.
    ///   - now: the instant ages are measured against.
    public static func table(for resource: APIResourceInfo, list: JSONValue, includeObject: TableIncludeObject,
                             now: KubeTime) -> JSONValue {
        var metadata = JSONObject()
        for key in ["resourceVersion", "continue", "remainingItemCount"] {
            if let value = list[path: ["metadata", key]], !value.isNull, value != "" { metadata[key] = value }
        }
        return table(resource, items: TableCells.array(list["items"]), metadata: metadata, includeObject: includeObject,
                     headers: true, now: now)
    }

    /// The Table for a single object (GET of one item): the same columns, one row.
    /// - Parameters:
    ///   - resource: the object's resource; it picks the columns.
    ///   - object: the object.
    ///   - includeObject: what the row embeds.
    ///   - now: the instant ages are measured against.
    public static func table(for resource: APIResourceInfo, object: JSONValue, includeObject: TableIncludeObject,
                             now: KubeTime) -> JSONValue {
        table(resource, object: object, includeObject: includeObject, headers: true, now: now)
    }

    /// One watch event converted for a Table watch: `{"type": ..., "object": <Table with one row>}`.
    ///
    /// Upstream converts every event's object to a Table and sends `columnDefinitions` only on the first event
    /// (later ones are converted with `NoHeaders`, so kubectl prints the header once). BOOKMARK and ERROR events,
    /// and any event whose object is a `Status`, pass through unchanged.
    /// - Parameters:
    ///   - resource: the watched resource; it picks the columns.
    ///   - event: the event as the Registry produced it.
    ///   - includeObject: what the row embeds.
    ///   - first: whether this is the first event of the watch (the one that carries the column definitions).
    ///   - now: the instant ages are measured against.
    public static func watchEvent(for resource: APIResourceInfo, event: JSONValue, includeObject: TableIncludeObject,
                                  first: Bool, now: KubeTime) -> JSONValue {
        guard let type = event["type"]?.string, type != "BOOKMARK", type != "ERROR",
              let object = event["object"], object.object != nil, object.kind != "Status" else {
            return event
        }
        return ["type": .string(type),
                "object": table(resource, object: object, includeObject: includeObject, headers: first, now: now)]
    }

    /// A one-row Table whose metadata carries the object's resourceVersion.
    private static func table(_ resource: APIResourceInfo, object: JSONValue, includeObject: TableIncludeObject,
                              headers: Bool, now: KubeTime) -> JSONValue {
        var metadata = JSONObject()
        if let version = object.metadata.resourceVersion, !version.isEmpty { metadata["resourceVersion"] = .string(version) }
        return table(resource, items: [object], metadata: metadata, includeObject: includeObject, headers: headers,
                     now: now)
    }

    /// Builds the Table: kind, apiVersion, metadata, columnDefinitions (empty when `headers` is false), rows.
    private static func table(_ resource: APIResourceInfo, items: [JSONValue], metadata: JSONObject,
                              includeObject: TableIncludeObject, headers: Bool, now: KubeTime) -> JSONValue {
        let set = TableColumnSets.set(for: resource)
        let rows = items.map { item -> JSONValue in
            let computed = set.row(item, now)
            var row: JSONValue = ["cells": .array(computed.cells)]
            if !computed.conditions.isEmpty { row["conditions"] = .array(computed.conditions) }
            if let embedded = embeddedObject(item, resource: resource, includeObject: includeObject) {
                row["object"] = embedded
            }
            return row
        }
        return [
            "kind": "Table",
            "apiVersion": .string(apiVersion),
            "metadata": .object(metadata),
            "columnDefinitions": .array(headers ? set.columns.map(\.json) : []),
            "rows": .array(rows),
        ]
    }

    /// What a row embeds: the full object (with its kind and apiVersion), its metadata as `PartialObjectMetadata`,
    /// or nothing.
    private static func embeddedObject(_ item: JSONValue, resource: APIResourceInfo,
                                       includeObject: TableIncludeObject) -> JSONValue? {
        switch includeObject {
        case .none:
            return nil
        case .metadata:
            return ["kind": "PartialObjectMetadata", "apiVersion": .string(apiVersion),
                    "metadata": item["metadata"] ?? .emptyObject]
        case .object:
            var object = item
            if object.kind == nil { object["kind"] = .string(resource.kind) }
            if object.apiVersion == nil { object["apiVersion"] = .string(resource.groupVersion) }
            return object
        }
    }
}
