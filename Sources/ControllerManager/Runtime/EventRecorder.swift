import KubeAPI
import KubeClient

/// Writes a controller's `ControllerEvent`s as core/v1 Events about the object it reconciled (what
/// `kubectl describe` lists), with the controller's own client. Best effort, as upstream's recorder: an event that
/// cannot be written is dropped, never a reason to retry the sync.
struct EventRecorder: Sendable {
    let client: RESTClient
    /// `source.component`, upstream's controller name ("deployment-controller").
    let component: String
    static let events = SharedInformers.info("", "events")

    func record(_ events: [ControllerEvent], about object: JSONValue, kind: ResourceKind) async {
        let namespace = object.metadata.namespace ?? "default"
        let name = object.metadata.name ?? ""
        for event in events {
            let now = KubeTime.now().rfc3339
            let body: JSONValue = [
                "apiVersion": "v1", "kind": "Event",
                "metadata": ["generateName": .string(name + "."), "namespace": .string(namespace)],
                "involvedObject": ["apiVersion": .string(kind.apiVersion), "kind": .string(kind.kind), "name": .string(name),
                                   "namespace": .string(namespace), "uid": .string(object.metadata.uid ?? "")],
                "reason": .string(event.reason), "message": .string(event.message), "type": .string(event.type),
                "source": ["component": .string(component)], "reportingComponent": .string(component),
                "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1,
            ]
            _ = try? await client.create(Self.events, namespace: namespace, body)
        }
    }
}
