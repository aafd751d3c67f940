import KubeAPI
import Testing
@testable import ControllerManager

struct EndpointsTests {
    static func service(clusterIP: String = "10.96.0.10", ports: [JSONValue] = [["name": "http", "port": 80, "targetPort": "web", "protocol": "TCP"]],
                        publishNotReady: Bool = false, labels: JSONValue = ["team": "a"]) -> JSONValue {
        ["apiVersion": "v1", "kind": "Service",
         "metadata": ["name": "web", "namespace": "default", "uid": "svc-uid", "labels": labels],
         "spec": ["selector": ["app": "web"], "clusterIP": .string(clusterIP), "ports": .array(ports),
                  "publishNotReadyAddresses": .bool(publishNotReady), "ipFamilies": ["IPv4"]]]
    }

    static func backend(_ name: String, ip: String?, ready: Bool = true, port: Int64 = 8080, deleting: Bool = false,
                        phase: String = "Running", node: String = "n1") -> JSONValue {
        var pod = Fixtures.pod(name, node: node, phase: phase, ready: ready, deleting: deleting)
        pod[path: ["spec", "containers"]] = [["name": "c", "image": "web", "ports": [["name": "web", "containerPort": .integer(port), "protocol": "TCP"]]]]
        if let ip { pod[path: ["status", "podIPs"]] = [["ip": .string(ip)]] }
        return pod
    }

    @Test func namedTargetPortsResolvePerPod() {
        let servicePort: JSONValue = ["name": "http", "port": 80, "targetPort": "web"]
        #expect(ServiceBackends.findPort(Self.backend("a", ip: "10.0.0.1", port: 8080), servicePort) == 8080)
        #expect(ServiceBackends.findPort(Self.backend("a", ip: "10.0.0.1"), ["port": 80, "targetPort": 9090]) == 9090)
        #expect(ServiceBackends.findPort(Self.backend("a", ip: "10.0.0.1"), ["port": 80, "targetPort": "web", "protocol": "UDP"]) == nil)
        #expect(ServiceBackends.findPort(Self.backend("a", ip: "10.0.0.1"), ["port": 80, "targetPort": "metrics"]) == nil)
    }

    @Test func readyAndNotReadyAddressesAndRepackedPorts() throws {
        let pods = [
            Self.backend("b", ip: "10.0.0.2"), Self.backend("a", ip: "10.0.0.1"),
            Self.backend("slow", ip: "10.0.0.3", ready: false),
            Self.backend("other-port", ip: "10.0.0.4", port: 9090),
            Self.backend("no-ip", ip: nil), Self.backend("done", ip: "10.0.0.5", phase: "Succeeded"),
            Self.backend("leaving", ip: "10.0.0.6", deleting: true),
        ]
        let action = EndpointsSync.plan(service: Self.service(), namespace: "default", name: "web", pods: pods, existing: nil)
        guard case .create(let endpoints) = action else { Issue.record("expected a create"); return }
        #expect(endpoints.metadata.name == "web")
        #expect(endpoints.metadata.labels == ["team": "a"])
        let subsets = endpoints["subsets"]?.array ?? []
        #expect(subsets.count == 2)
        #expect(subsets[0]["addresses"]?.array?.compactMap { $0["ip"]?.string } == ["10.0.0.1", "10.0.0.2"])
        #expect(subsets[0]["notReadyAddresses"]?.array?.compactMap { $0["ip"]?.string } == ["10.0.0.3"])
        #expect(subsets[0]["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
        #expect(subsets[0]["addresses"]?[0] == ["ip": "10.0.0.1", "nodeName": "n1",
                                                 "targetRef": ["kind": "Pod", "namespace": "default", "name": "a", "uid": "uid-a"]])
        #expect(subsets[1]["ports"] == [["name": "http", "port": 9090, "protocol": "TCP"]])
        // Unchanged endpoints are not rewritten; a changed pod set is.
        #expect(EndpointsSync.plan(service: Self.service(), namespace: "default", name: "web", pods: pods, existing: endpoints) == nil)
        guard case .update(let updated) = EndpointsSync.plan(service: Self.service(), namespace: "default", name: "web",
                                                             pods: Array(pods.dropFirst()), existing: endpoints) else {
            Issue.record("expected an update"); return
        }
        #expect(updated["subsets"]?[0]?["addresses"]?.array?.count == 1)
    }

    @Test func publishNotReadyHeadlessAndDeletedServices() {
        let pods = [Self.backend("slow", ip: "10.0.0.3", ready: false), Self.backend("leaving", ip: "10.0.0.6", deleting: true)]
        guard case .create(let endpoints) = EndpointsSync.plan(service: Self.service(clusterIP: "None", ports: [], publishNotReady: true),
                                                               namespace: "default", name: "web", pods: pods, existing: nil) else {
            Issue.record("expected a create"); return
        }
        #expect(endpoints.metadata.labels["service.kubernetes.io/headless"] == "")
        #expect(endpoints["subsets"] == [["addresses": [
            ["ip": "10.0.0.3", "nodeName": "n1", "targetRef": ["kind": "Pod", "namespace": "default", "name": "slow", "uid": "uid-slow"]],
            ["ip": "10.0.0.6", "nodeName": "n1", "targetRef": ["kind": "Pod", "namespace": "default", "name": "leaving", "uid": "uid-leaving"]],
        ]]])
        #expect(EndpointsSync.plan(service: nil, namespace: "default", name: "web", pods: [], existing: endpoints)
                == .delete(ObjectRef(kind: .endpoints, namespace: "default", name: "web", uid: nil)))
        var selectorless = Self.service()
        selectorless[path: ["spec", "selector"]] = nil
        #expect(EndpointsSync.plan(service: selectorless, namespace: "default", name: "web", pods: pods, existing: nil) == nil)
    }

    @Test func endpointSlicesCarryConditionsAndChunk() throws {
        let pods = [Self.backend("a", ip: "10.0.0.1"), Self.backend("slow", ip: "10.0.0.3", ready: false),
                    Self.backend("leaving", ip: "10.0.0.6", deleting: true)]
        let node: JSONValue = ["metadata": ["name": "n1", "labels": ["topology.kubernetes.io/zone": "z1"]]]
        let actions = EndpointSliceSync().plan(service: Self.service(), pods: pods, nodes: [node], slices: [])
        guard case .create(let slice) = try #require(actions.first) else { Issue.record("expected a create"); return }
        #expect(actions.count == 1)
        #expect(slice.metadata.generateName == "web-")
        #expect(slice.metadata.labels == ["endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                                          "kubernetes.io/service-name": "web", "team": "a"])
        #expect(slice.metadata.ownerReferences.first?.uid == "svc-uid")
        #expect(slice["addressType"] == "IPv4")
        #expect(slice["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
        let endpoints = slice["endpoints"]?.array ?? []
        #expect(endpoints.map { $0[path: ["targetRef", "name"]] } == ["a", "leaving", "slow"])
        #expect(endpoints[0]["conditions"] == ["ready": true, "serving": true, "terminating": false])
        #expect(endpoints[1]["conditions"] == ["ready": false, "serving": true, "terminating": true])
        #expect(endpoints[2]["conditions"] == ["ready": false, "serving": false, "terminating": false])
        #expect(endpoints[0]["zone"] == "z1")
        // Reuse: the same slice is kept when nothing changed, updated when a pod goes, and extra slices are removed.
        var stored = slice
        stored[path: ["metadata", "name"]] = "web-abcde"
        stored[path: ["metadata", "uid"]] = "slice-uid"
        #expect(EndpointSliceSync().plan(service: Self.service(), pods: pods, nodes: [node], slices: [stored]).isEmpty)
        var extra = stored
        extra[path: ["metadata", "name"]] = "web-zzzzz"
        let shrunk = EndpointSliceSync().plan(service: Self.service(), pods: [pods[0]], nodes: [node], slices: [stored, extra])
        #expect(shrunk.count == 2)
        #expect(Fixtures.deletedNames(shrunk) == ["web-zzzzz"])
        // Chunking and the empty placeholder.
        let many = (1...5).map { Self.backend("p\($0)", ip: "10.0.1.\($0)") }
        #expect(EndpointSliceSync(maxEndpointsPerSlice: 2).plan(service: Self.service(), pods: many, nodes: [], slices: []).count == 3)
        guard case .create(let placeholder) = EndpointSliceSync().plan(service: Self.service(), pods: [], nodes: [], slices: []).first else {
            Issue.record("placeholder"); return
        }
        #expect(placeholder["endpoints"] == [])
        #expect(placeholder["ports"] == [])
    }
}

struct NamespaceDefaultsTests {
    @Test func everyActiveNamespaceGetsADefaultServiceAccountAndTheRootCA() {
        let ns: JSONValue = ["metadata": ["name": "team-a"], "status": ["phase": "Active"]]
        #expect(NamespaceDefaults.serviceAccount(namespace: ns, serviceAccounts: [])
                == .create(["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default", "namespace": "team-a"]]))
        let existing: JSONValue = ["metadata": ["name": "default", "namespace": "team-a"]]
        #expect(NamespaceDefaults.serviceAccount(namespace: ns, serviceAccounts: [existing]) == nil)
        let terminating: JSONValue = ["metadata": ["name": "old"], "status": ["phase": "Terminating"]]
        #expect(NamespaceDefaults.serviceAccount(namespace: terminating, serviceAccounts: []) == nil)

        guard case .create(let configMap) = NamespaceDefaults.rootCAConfigMap(namespace: ns, existing: nil, caPEM: "PEM") else {
            Issue.record("expected a create"); return
        }
        #expect(configMap.metadata.name == "kube-root-ca.crt")
        #expect(configMap["data"] == ["ca.crt": "PEM"])
        #expect(configMap.metadata.annotations["kubernetes.io/description"]?.hasPrefix("Contains a CA bundle") == true)
        #expect(NamespaceDefaults.rootCAConfigMap(namespace: ns, existing: configMap, caPEM: "PEM") == nil)
        guard case .update(let rotated) = NamespaceDefaults.rootCAConfigMap(namespace: ns, existing: configMap, caPEM: "NEW") else {
            Issue.record("expected an update"); return
        }
        #expect(rotated["data"] == ["ca.crt": "NEW"])
    }
}
