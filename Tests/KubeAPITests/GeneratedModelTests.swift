import Foundation
import Testing

@testable import KubeAPI

/// Decoding real objects into the generated typed models and encoding them back.
@Suite struct GeneratedModelTests {
    func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    /// Canonical JSON text (sorted keys) of a JSON document, with `null` members and the given paths removed.
    func canonical(_ data: Data, dropping dropped: [[String]] = []) throws -> String {
        var object = try JSONSerialization.jsonObject(with: data)
        for path in dropped { object = remove(path, from: object) }
        object = stripNulls(object)
        let out = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: out, as: UTF8.self)
    }

    func stripNulls(_ value: Any) -> Any {
        if let dict = value as? [String: Any] {
            return dict.filter { !($0.value is NSNull) }.mapValues(stripNulls)
        }
        if let array = value as? [Any] { return array.map(stripNulls) }
        return value
    }

    func remove(_ path: [String], from value: Any) -> Any {
        guard let first = path.first, var dict = value as? [String: Any] else { return value }
        if path.count == 1 {
            dict[first] = nil
        } else if let child = dict[first] {
            dict[first] = remove(Array(path.dropFirst()), from: child)
        }
        return dict
    }

    @Test func deploymentRoundTrips() throws {
        let data = try fixture("generated-deployment")
        let deployment = try JSONDecoder().decode(AppsV1.Deployment.self, from: data)
        #expect(deployment.apiVersion == "apps/v1")
        #expect(deployment.kind == "Deployment")
        #expect(deployment.metadata?.name == "web")
        #expect(deployment.metadata?.generation == 3)
        #expect(deployment.spec?.replicas == 3)
        #expect(deployment.spec?.selector?.matchLabels == ["app": "web"])
        #expect(deployment.spec?.strategy?.rollingUpdate?.maxSurge == .string("25%"))
        #expect(deployment.spec?.strategy?.rollingUpdate?.maxUnavailable == .int(1))
        let container = try #require(deployment.spec?.template?.spec?.containers?.first)
        #expect(container.name == "nginx")
        #expect(container.ports?.first?.containerPort == 80)
        #expect(container.resources?.limits?["cpu"] == "500m")
        #expect(container.readinessProbe?.httpGet?.port == .string("http"))
        #expect(deployment.status?.conditions?.first?.type == "Available")
        let fields = try #require(deployment.metadata?.managedFields?.first?.fieldsV1)
        #expect(fields["f:spec"]?["f:replicas"] == JSONValue.emptyObject)

        let encoded = try JSONEncoder().encode(deployment)
        #expect(try canonical(encoded) == canonical(data))
        #expect(try JSONDecoder().decode(AppsV1.Deployment.self, from: encoded) == deployment)
    }

    @Test func podRoundTripsAndDropsUnknownFields() throws {
        let data = try fixture("generated-pod")
        let pod = try JSONDecoder().decode(CoreV1.Pod.self, from: data)
        #expect(pod.metadata?.ownerReferences?.first?.controller == true)
        #expect(pod.spec?.containers?.first?.env?.first?.valueFrom?.fieldRef?.fieldPath == "status.podIP")
        #expect(pod.spec?.containers?.first?.securityContext?.runAsUser == 65534)
        #expect(pod.spec?.tolerations?.first?.operator == "Exists")
        #expect(pod.spec?.volumes?.first?.projected?.defaultMode == 420)
        #expect(pod.status?.phase == "Running")
        #expect(pod.status?.podIPs?.first?.ip == "10.244.1.7")
        #expect(pod.status?.containerStatuses?.first?.state?.running?.startedAt == "2024-05-01T10:00:02Z")

        let encoded = try JSONEncoder().encode(pod)
        #expect(try canonical(encoded) == canonical(data, dropping: [["status", "someFutureField"]]))
    }

    @Test func missingFieldsNeverFailDecoding() throws {
        let pod = try JSONDecoder().decode(CoreV1.Pod.self, from: Data(#"{"spec":{"containers":[{}]}}"#.utf8))
        #expect(pod.apiVersion == nil)
        #expect(pod.spec?.containers?.count == 1)
        let listJSON = #"{"metadata":{"resourceVersion":"7"},"items":[{"metadata":{"name":"a"}}]}"#
        let list = try JSONDecoder().decode(CoreV1.PodList.self, from: Data(listJSON.utf8))
        #expect(list.metadata?.resourceVersion == "7")
        #expect(list.items?.first?.metadata?.name == "a")
    }

    @Test func initFillsTypeMeta() throws {
        let deployment = AppsV1.Deployment(metadata: MetaV1.ObjectMeta(name: "x"))
        #expect(deployment.apiVersion == "apps/v1")
        #expect(deployment.kind == "Deployment")
        #expect(CoreV1.Pod().apiVersion == "v1")
        #expect(CoreV1.PodList().kind == "PodList")
        #expect(AppsV1.Deployment.groupVersionKind == APIModelKind(group: "apps", version: "v1", kind: "Deployment"))
        #expect(RbacV1.ClusterRole.groupVersionKind.apiVersion == "rbac.authorization.k8s.io/v1")
        var lease = CoordinationV1.Lease(apiVersion: nil, kind: nil)
        lease.setTypeMeta()
        #expect(lease.apiVersion == "coordination.k8s.io/v1" && lease.kind == "Lease")
        let port = CoreV1.ServicePort(port: 443, protocol: "TCP", targetPort: 6443)
        let json = String(decoding: try JSONEncoder().encode(port), as: UTF8.self)
        #expect(json.contains(#""protocol":"TCP""#) && json.contains(#""targetPort":6443"#))
    }

    @Test func intOrString() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode([IntOrString].self, from: Data(#"[1,"25%"]"#.utf8)) == [.int(1), "25%"])
        let encoded = try JSONEncoder().encode([IntOrString.int(8080), "http"])
        #expect(String(decoding: encoded, as: UTF8.self) == #"[8080,"http"]"#)
        #expect(IntOrString.int(3).description == "3" && IntOrString.string("x").stringValue == "x")
    }

    /// Free-form fields (RawExtension, FieldsV1) and legacy volume plugins are `JSONValue` and round-trip.
    @Test func freeFormFieldsRoundTrip() throws {
        let text = #"{"name":"v","rbd":{"image":"img","monitors":["10.0.0.1:6789"],"readOnly":true}}"#
        let volume = try JSONDecoder().decode(CoreV1.Volume.self, from: Data(text.utf8))
        #expect(volume.rbd?["image"] == .string("img"))
        #expect(try canonical(JSONEncoder().encode(volume)) == canonical(Data(text.utf8)))
        let revisionJSON = #"{"revision":2,"data":{"spec":{"template":{"x":[1,2.5]}}}}"#
        let revision = try JSONDecoder().decode(AppsV1.ControllerRevision.self, from: Data(revisionJSON.utf8))
        #expect(revision.revision == 2)
        #expect(revision.data?["spec"]?["template"]?["x"] == .array([.integer(1), .float(2.5)]))
    }

    /// Every kind the project reads has a typed model with the right group/version/kind.
    @Test func listedKindsExist() {
        let kinds: [any APIObjectModel.Type] = [
            CoreV1.Pod.self, CoreV1.Node.self, CoreV1.Namespace.self, CoreV1.Service.self, CoreV1.Endpoints.self,
            DiscoveryV1.EndpointSlice.self, CoreV1.ConfigMap.self, CoreV1.Secret.self, CoreV1.ServiceAccount.self,
            CoreV1.Event.self, EventsV1.Event.self, CoordinationV1.Lease.self,
            CertificatesV1.CertificateSigningRequest.self, RbacV1.Role.self, RbacV1.RoleBinding.self,
            RbacV1.ClusterRole.self, RbacV1.ClusterRoleBinding.self, AppsV1.Deployment.self, AppsV1.ReplicaSet.self,
            AppsV1.DaemonSet.self, AppsV1.StatefulSet.self, AppsV1.ControllerRevision.self, BatchV1.Job.self,
            BatchV1.CronJob.self, CoreV1.PersistentVolume.self, CoreV1.PersistentVolumeClaim.self,
            StorageV1.StorageClass.self, PolicyV1.PodDisruptionBudget.self, SchedulingV1.PriorityClass.self,
        ]
        let lists: [any APIListModel.Type] = [
            CoreV1.PodList.self, AppsV1.DeploymentList.self, EventsV1.EventList.self, BatchV1.CronJobList.self,
        ]
        #expect(kinds.count == 29 && lists.count == 4)
        for kind in kinds {
            let gvk = kind.groupVersionKind
            #expect(ResourceTable.resource(kind: gvk.kind, group: gvk.group, version: gvk.version) != nil, "\(gvk)")
            #expect(GeneratedPatchSchema.shared.rootType(group: gvk.group, version: gvk.version, kind: gvk.kind) != nil)
        }
    }
}
