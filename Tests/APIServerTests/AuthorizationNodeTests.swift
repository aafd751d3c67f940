import KubeAPI
import Testing
@testable import APIServer

@Suite("Authorization: Node authorizer and NodeRestriction")
struct AuthorizationNodeTests {
    let n1 = UserInfo(name: "system:node:n1", groups: ["system:nodes", "system:authenticated"])

    /// Pods on two nodes with the references a kubelet needs to resolve.
    func populate(_ h: RegistryHarness) async throws {
        var web = RegistryHarness.pod("web", nodeName: "n1")
        web[path: ["spec", "serviceAccountName"]] = "robot"
        web[path: ["spec", "imagePullSecrets"]] = [["name": "regcred"]]
        web[path: ["spec", "containers"]] = [[
            "name": "c", "image": "nginx",
            "envFrom": [["configMapRef": ["name": "web-config"]]],
            "env": [["name": "TOKEN", "valueFrom": ["secretKeyRef": ["name": "env-secret", "key": "t"]]]],
        ]]
        web[path: ["spec", "volumes"]] = [
            ["name": "s", "secret": ["secretName": "web-secret"]],
            ["name": "p", "projected": ["sources": [["secret": ["name": "proj"]], ["configMap": ["name": "proj-cm"]]]]],
            ["name": "d", "persistentVolumeClaim": ["claimName": "data"]],
        ]
        #expect(await h.send(.create, resource: "pods", namespace: "default", body: web).code == 201)
        var other = RegistryHarness.pod("other", nodeName: "n2")
        other[path: ["spec", "volumes"]] = [["name": "s", "secret": ["secretName": "other-secret"]]]
        #expect(await h.send(.create, resource: "pods", namespace: "default", body: other).code == 201)
        let claim: JSONValue = [
            "metadata": ["name": "data"],
            "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]], "volumeName": "pv-1"],
        ]
        let created = await h.send(.create, resource: "persistentvolumeclaims", namespace: "default", body: claim)
        #expect(created.code == 201, "\(created.body)")
        let attachment: JSONValue = [
            "metadata": ["name": "va-1"],
            "spec": ["attacher": "csi.example.com", "nodeName": "n1", "source": ["persistentVolumeName": "pv-1"]],
        ]
        let attached = await h.send(.create, "storage.k8s.io", "v1", "volumeattachments", body: attachment)
        #expect(attached.code == 201, "\(attached.body)")
    }

    @Test func nodeReadsOnlyObjectsOfItsOwnPods() async throws {
        let p = try await PolicyHarness()
        try await populate(p.h)
        let node = NodeAuthorizer(store: p.h.store)
        func get(_ resource: String, _ name: String, group: String = "", namespace: String = "default") async
            -> AuthorizationDecision
        {
            await node.authorize(.resource(n1, "get", group: group, resource, namespace: namespace, name: name))
        }
        for secret in ["web-secret", "regcred", "proj", "env-secret"] {
            #expect(await get("secrets", secret) == .allow, "\(secret)")
        }
        #expect(await get("secrets", "other-secret") == .noOpinion("no relationship found between node 'n1' and this object"))
        #expect(await get("secrets", "web-secret", namespace: "kube-system") != .allow)
        #expect(await get("configmaps", "web-config") == .allow)
        #expect(await get("configmaps", "proj-cm") == .allow)
        #expect(await get("configmaps", "nope") != .allow)
        #expect(await get("persistentvolumeclaims", "data") == .allow)
        #expect(await get("persistentvolumes", "pv-1", namespace: "") == .allow)
        #expect(await get("persistentvolumes", "pv-2", namespace: "") != .allow)
        #expect(await get("volumeattachments", "va-1", group: "storage.k8s.io", namespace: "") == .allow)
        #expect(await get("pods", "web") == .allow)
        #expect(await get("pods", "other") != .allow)
        // Secrets may be read one by one, never listed.
        #expect(await node.authorize(.resource(n1, "list", "secrets", namespace: "default")) == .noOpinion("No Object name found"))
        #expect(await node.authorize(.resource(n1, "create", "serviceaccounts", subresource: "token",
                                               namespace: "default", name: "robot")) == .allow)
        #expect(await node.authorize(.resource(n1, "create", "serviceaccounts", subresource: "token",
                                               namespace: "default", name: "default")) != .allow)
        await p.close()
    }

    @Test func nodeSeesOnlyItselfAndItsPods() async throws {
        let p = try await PolicyHarness()
        let node = NodeAuthorizer(store: p.h.store)
        #expect(await node.authorize(.resource(n1, "list", "pods", fieldSelector: "spec.nodeName=n1")) == .allow)
        #expect(await node.authorize(.resource(n1, "watch", "pods", fieldSelector: "spec.nodeName=n2")) != .allow)
        #expect(await node.authorize(.resource(n1, "list", "pods"))
            == .noOpinion("can only list/watch pods with spec.nodeName field selector"))
        #expect(await node.authorize(.resource(n1, "get", "nodes", name: "n1")) == .allow)
        #expect(await node.authorize(.resource(n1, "watch", "nodes", fieldSelector: "metadata.name=n1")) == .allow)
        #expect(await node.authorize(.resource(n1, "get", "nodes", name: "n2")) != .allow)
        // Writes to nodes pass the authorizer; NodeRestriction pins them to the node's own object.
        #expect(await node.authorize(.resource(n1, "update", "nodes", name: "n2")) == .allow)
        #expect(await node.authorize(.resource(n1, "patch", "nodes", subresource: "status", name: "n1")) == .allow)
        #expect(await node.authorize(.resource(n1, "delete", "nodes", name: "n1")) != .allow)
        let lease = { (verb: String, namespace: String, name: String) in
            AuthorizationAttributes.resource(self.n1, verb, group: "coordination.k8s.io", "leases",
                                             namespace: namespace, name: name)
        }
        #expect(await node.authorize(lease("update", "kube-node-lease", "n1")) == .allow)
        #expect(await node.authorize(lease("create", "kube-node-lease", "")) == .allow)
        #expect(await node.authorize(lease("update", "kube-node-lease", "n2")) != .allow)
        #expect(await node.authorize(lease("get", "kube-system", "n1")) != .allow)
        // The rest of the node rules, unnarrowed.
        #expect(await node.authorize(.resource(n1, "create", "events", namespace: "default")) == .allow)
        #expect(await node.authorize(.resource(n1, "list", "services")) == .allow)
        #expect(await node.authorize(.resource(n1, "create", group: "certificates.k8s.io", "certificatesigningrequests")) == .allow)
        #expect(await node.authorize(.resource(n1, "list", "namespaces")) == .noOpinion(""))
        // Not a node: no opinion at all.
        let impostor = UserInfo(name: "system:node:n1", groups: ["system:authenticated"])
        #expect(await node.authorize(.resource(impostor, "get", "nodes", name: "n1")) == .noOpinion(""))
        let nameless = UserInfo(name: "system:node:", groups: ["system:nodes"])
        #expect(await node.authorize(.resource(nameless, "get", "nodes", name: "x"))
            == .noOpinion(#"unknown node for user "system:node:""#))
        // Through the whole chain, a node gets nothing RBAC would not give it either.
        #expect(!(await p.allows(.resource(n1, "get", "secrets", namespace: "default", name: "any"))))
        await p.close()
    }

    func request(_ verb: APIRequest.Verb, _ resource: String, group: String = "", namespace: String? = nil,
                 name: String? = nil, subresource: String? = nil) -> APIRequest {
        APIRequest(verb: verb, group: group, version: "v1", resource: resource, namespace: namespace, name: name,
                   subresource: subresource, user: n1)
    }

    func node(_ name: String, labels: [String: String] = [:], taints: JSONValue? = nil) -> JSONValue {
        var node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)]]
        for (key, value) in labels { node.metadata.labels[key] = value }
        if let taints { node[path: ["spec", "taints"]] = taints }
        return node
    }

    /// Acceptance: a node's certificate cannot modify another node.
    @Test func nodeMayModifyOnlyItself() async {
        #expect(await NodeRestriction.admit(user: n1, request: request(.update, "nodes", name: "n1"),
                                            old: node("n1"), new: node("n1", labels: ["kubernetes.io/hostname": "n1"])) == nil)
        let other = await NodeRestriction.admit(user: n1, request: request(.update, "nodes", name: "n2"),
                                                old: node("n2"), new: node("n2"))
        #expect(other?.code == 403)
        #expect(other?.message == #"nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2""#)
        #expect(other?.status["details"] == ["name": "n2", "kind": "nodes"])
        let status = await NodeRestriction.admit(user: n1, request: request(.patch, "nodes", name: "n2", subresource: "status"),
                                                 old: node("n2"), new: node("n2"))
        #expect(status?.code == 403)
        let create = await NodeRestriction.admit(user: n1, request: request(.create, "nodes"), old: nil, new: node("n2"))
        #expect(create?.message == #"nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2""#)
        // Anyone else is not restricted.
        let admin = UserInfo(name: "admin", groups: ["system:masters"])
        var byAdmin = request(.update, "nodes", name: "n2")
        byAdmin.user = admin
        #expect(await NodeRestriction.admit(user: admin, request: byAdmin, old: node("n2"), new: node("n2")) == nil)
    }

    @Test func nodeLabelsAndTaints() async {
        let reserved = await NodeRestriction.admit(user: n1, request: request(.create, "nodes"), old: nil,
                                                   new: node("n1", labels: ["node-restriction.kubernetes.io/pool": "a",
                                                                            "example.com/x": "y"]))
        #expect(reserved?.message == #"nodes "n1" is forbidden: node "n1" is not allowed to set the following labels: node-restriction.kubernetes.io/pool"#)
        #expect(await NodeRestriction.admit(user: n1, request: request(.create, "nodes"), old: nil,
                                            new: node("n1", labels: ["kubernetes.io/os": "linux",
                                                                     "node-role.kubernetes.io/worker": ""])) == nil)
        let role = await NodeRestriction.admit(user: n1, request: request(.patch, "nodes", name: "n1"), old: node("n1"),
                                               new: node("n1", labels: ["node-role.kubernetes.io/control-plane": ""]))
        #expect(role?.message == #"nodes "n1" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/control-plane"#)
        #expect(await NodeRestriction.admit(user: n1, request: request(.patch, "nodes", name: "n1"), old: node("n1"),
                                            new: node("n1", labels: ["topology.kubernetes.io/zone": "z",
                                                                     "kubelet.kubernetes.io/x": "1"])) == nil)
        let taints: JSONValue = [["key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"]]
        let untaint = await NodeRestriction.admit(user: n1, request: request(.update, "nodes", name: "n1"),
                                                  old: node("n1", taints: taints), new: node("n1"))
        #expect(untaint?.message == #"nodes "n1" is forbidden: node "n1" is not allowed to modify taints"#)
        // Registering with taints is allowed (kubelet --register-with-taints).
        #expect(await NodeRestriction.admit(user: n1, request: request(.create, "nodes"), old: nil,
                                            new: node("n1", taints: taints)) == nil)
    }

    @Test func podsLeasesAndTokens() async throws {
        let p = try await PolicyHarness()
        try await populate(p.h)
        let relations = NodeRelations(store: p.h.store)
        let web = try #require(try await relations.pod(namespace: "default", name: "web"))
        let other = try #require(try await relations.pod(namespace: "default", name: "other"))
        func admit(_ request: APIRequest, old: JSONValue? = nil, new: JSONValue? = nil) async -> String? {
            await NodeRestriction.admit(user: n1, request: request, old: old, new: new, relations: relations)?.message
        }
        var mirror = RegistryHarness.pod("static-web-n1", nodeName: "n1")
        mirror.metadata.annotations["kubernetes.io/config.mirror"] = "hash"
        #expect(await admit(request(.create, "pods", namespace: "default"), new: mirror) == nil)
        #expect(await admit(request(.create, "pods", namespace: "default"), new: RegistryHarness.pod("x", nodeName: "n1"))
            == #"pods "x" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods"#)
        var elsewhere = mirror
        elsewhere[path: ["spec", "nodeName"]] = "n2"
        #expect(await admit(request(.create, "pods", namespace: "default"), new: elsewhere)
            == #"pods "static-web-n1" is forbidden: node "n1" can only create pods with spec.nodeName set to itself"#)
        var leaky = mirror
        leaky[path: ["spec", "volumes"]] = [["name": "s", "secret": ["secretName": "x"]]]
        #expect(await admit(request(.create, "pods", namespace: "default"), new: leaky)
            == #"pods "static-web-n1" is forbidden: node "n1" can not create pods that reference secrets"#)
        #expect(await admit(request(.delete, "pods", namespace: "default", name: "web"), old: web) == nil)
        #expect(await admit(request(.delete, "pods", namespace: "default", name: "other"), old: other)
            == #"pods "other" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself"#)
        #expect(await admit(request(.update, "pods", namespace: "default", name: "web", subresource: "status"),
                            old: web, new: web) == nil)
        #expect(await admit(request(.patch, "pods", namespace: "default", name: "other", subresource: "status"),
                            old: other, new: other)
            == #"pods "other" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself"#)
        #expect(await admit(request(.update, "pods", namespace: "default", name: "web"), old: web, new: web)
            == #"pods "web" is forbidden: unexpected operation "UPDATE", node "n1" can only create and delete mirror pods"#)
        #expect(await admit(request(.create, "pods", namespace: "default", name: "other", subresource: "eviction"),
                            old: other, new: ["metadata": ["name": "other"]]) != nil)
        #expect(await admit(request(.create, "pods", namespace: "default", name: "web", subresource: "eviction"),
                            old: web, new: ["metadata": ["name": "web"]]) == nil)

        let lease: JSONValue = ["metadata": ["name": "n1", "namespace": "kube-node-lease"]]
        #expect(await admit(request(.create, "leases", group: "coordination.k8s.io", namespace: "kube-node-lease"),
                            new: lease) == nil)
        #expect(await admit(request(.update, "leases", group: "coordination.k8s.io", namespace: "kube-node-lease",
                                    name: "n2"), new: ["metadata": ["name": "n2"]])
            == #"leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node"#)
        #expect(await admit(request(.update, "leases", group: "coordination.k8s.io", namespace: "kube-system",
                                    name: "n1"), new: lease) != nil)

        func tokenRequest(_ pod: JSONValue, uid: String? = nil) -> JSONValue {
            ["spec": ["audiences": ["api"], "boundObjectRef": [
                "apiVersion": "v1", "kind": "Pod", "name": .string(pod.metadata.name ?? ""),
                "uid": .string(uid ?? pod.metadata.uid ?? ""),
            ]]]
        }
        let token = request(.create, "serviceaccounts", namespace: "default", name: "robot", subresource: "token")
        #expect(await admit(token, new: tokenRequest(web)) == nil)
        #expect(await admit(token, new: tokenRequest(other))
            == #"serviceaccounts "robot" is forbidden: node requested token bound to a pod scheduled on a different node"#)
        #expect(await admit(token, new: tokenRequest(web, uid: "stale"))?.contains("does not match the UID in record") == true)
        #expect(await admit(token, new: ["spec": ["audiences": ["api"]]])
            == #"serviceaccounts "robot" is forbidden: node requested token not bound to a pod"#)
        await p.close()
    }
}
