import KubeAPI

/// Upstream's per-kind field-selector sets (each registry strategy's `GetAttrs`), keyed by `group/plural`.
/// Every kind also supports `metadata.name` and `metadata.namespace`.
enum SelectableFieldTable {
    static let paths: [String: [String]] = [
        "/pods": ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                  "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        "/events": ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                    "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                    "reason", "reportingComponent", "source", "type"],
        "/secrets": ["type"],
        "/nodes": ["spec.unschedulable"],
        "/namespaces": ["status.phase"],
        "/replicationcontrollers": ["status.replicas"],
        "apps/replicasets": ["status.replicas"],
        "batch/jobs": ["status.successful"],
        "certificates.k8s.io/certificatesigningrequests": ["spec.signerName"],
    ]

    /// The selectable fields of a resource.
    static func fields(for info: APIResourceInfo) -> SelectableFields {
        let extra = paths["\(info.group)/\(info.plural)"] ?? []
        if info.group.isEmpty && info.plural == "events" {
            // Events select `source` by `source.component` (upstream's event GetAttrs).
            return SelectableFields(supports: { Set(["metadata.name", "metadata.namespace"] + extra).contains($0) }) { field, object in
                switch field {
                case "source": return SelectableFields.stringValue(object.value(atDottedPath: "source.component"))
                case "metadata.name", "metadata.namespace": return SelectableFields.stringValue(object.value(atDottedPath: field))
                default: return extra.contains(field) ? SelectableFields.stringValue(object.value(atDottedPath: field)) : nil
                }
            }
        }
        if info.group.isEmpty && info.plural == "pods" {
            // Upstream: spec.hostNetwork reads "false" when unset; status.podIP is the first of status.podIPs.
            let base = SelectableFields(paths: extra)
            return SelectableFields(supports: base.supports) { field, object in
                if field == "spec.hostNetwork" { return object.value(atDottedPath: field)?.bool == true ? "true" : "false" }
                return base.value(field, object)
            }
        }
        return SelectableFields(paths: extra)
    }
}
