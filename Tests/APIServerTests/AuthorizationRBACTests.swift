import Foundation
import KubeAPI
import Storage
import Testing
@testable import APIServer

/// A Registry with the bootstrap policy reconciled, a policy cache following the store, and the
/// `--authorization-mode=Node,RBAC` chain.
struct PolicyHarness {
    let h: RegistryHarness
    let cache: RBACPolicyCache
    let authorizer: UnionAuthorizer

    init(kubeadm: Bool = false) async throws {
        h = try await RegistryHarness()
        try await h.registry.reconcileBootstrapPolicy()
        if kubeadm {
            try await h.registry.reconcilePolicy(clusterRoles: KubeadmPolicy.clusterRoles,
                                                 clusterRoleBindings: KubeadmPolicy.clusterRoleBindings,
                                                 roles: KubeadmPolicy.roles, roleBindings: KubeadmPolicy.roleBindings)
        }
        cache = RBACPolicyCache(store: h.store)
        try await cache.start()
        authorizer = .nodeAndRBAC(node: NodeAuthorizer(store: h.store), rbac: RBACAuthorizer(cache: cache))
    }

    func close() async {
        cache.stop()
        await h.close()
    }

    func allows(_ attributes: AuthorizationAttributes) async -> Bool {
        await authorizer.authorize(attributes) == .allow
    }

    /// Creates an RBAC object and waits until the cache has seen it.
    func create(_ plural: String, _ object: JSONValue, namespace: String? = nil) async throws {
        let result = await h.send(.create, "rbac.authorization.k8s.io", "v1", plural, namespace: namespace, body: object)
        #expect(result.code == 201, "\(result.body)")
        let revision = try #require(result.body.metadata.resourceVersion.flatMap { Int64($0) })
        #expect(await cache.waitFor(revision: revision))
    }

    func get(_ plural: String, _ name: String, namespace: String? = nil) async -> JSONValue {
        await h.send(.get, "rbac.authorization.k8s.io", "v1", plural, namespace: namespace, name: name).body
    }
}

@Suite("Authorization: RBAC over the store")
struct AuthorizationRBACTests {
    let bootstrapToken = UserInfo(name: "system:bootstrap:abcdef",
                                  groups: ["system:bootstrappers", "system:bootstrappers:kubeadm:default-node-token",
                                           "system:authenticated"])

    @Test func reconcileCreatesThePolicyAndIsIdempotent() async throws {
        let p = try await PolicyHarness()
        let roles = await p.h.send(.list, "rbac.authorization.k8s.io", "v1", "clusterroles")
        #expect(roles.body["items"]?.array?.count == BootstrapPolicy.clusterRoles.count)
        let bindings = await p.h.send(.list, "rbac.authorization.k8s.io", "v1", "rolebindings")
        #expect(bindings.body["items"]?.array?.count == BootstrapPolicy.roleBindings.count)
        let before = try await p.h.store.currentRevision()
        try await p.h.registry.reconcileBootstrapPolicy()
        #expect(try await p.h.store.currentRevision() == before)
        await p.close()
    }

    @Test func reconcileAddsMissingRulesAndSubjectsButKeepsAdditions() async throws {
        let p = try await PolicyHarness()
        let custom: JSONValue = ["verbs": ["get"], "apiGroups": ["example.com"], "resources": ["widgets"]]
        var role = await p.get("clusterroles", "system:node-bootstrapper")
        role["rules"] = [custom]
        #expect(await p.h.send(.update, "rbac.authorization.k8s.io", "v1", "clusterroles",
                               name: "system:node-bootstrapper", body: role).code == 200)
        var binding = await p.get("clusterrolebindings", "system:basic-user")
        binding["subjects"] = [["apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "alice"]]
        #expect(await p.h.send(.update, "rbac.authorization.k8s.io", "v1", "clusterrolebindings",
                               name: "system:basic-user", body: binding).code == 200)
        var frozen = await p.get("clusterroles", "system:kube-dns")
        frozen["rules"] = []
        frozen.metadata.annotations["rbac.authorization.kubernetes.io/autoupdate"] = "false"
        #expect(await p.h.send(.update, "rbac.authorization.k8s.io", "v1", "clusterroles", name: "system:kube-dns",
                               body: frozen).code == 200)

        try await p.h.registry.reconcileBootstrapPolicy()

        let rules = await p.get("clusterroles", "system:node-bootstrapper")["rules"]?.array ?? []
        #expect(rules.count == 2 && rules[0] == custom)
        #expect(PolicyRule(json: rules[1]).resources == ["certificatesigningrequests"])
        let subjects = await p.get("clusterrolebindings", "system:basic-user")["subjects"]?.array ?? []
        #expect(subjects.compactMap { $0["name"]?.string } == ["alice", "system:authenticated"])
        #expect(await p.get("clusterroles", "system:kube-dns")["rules"] == [])
        await p.close()
    }

    @Test func reconcileRecreatesABindingWhoseRoleRefChanged() async throws {
        let p = try await PolicyHarness()
        // roleRef is immutable through the API, so plant the drift in the store directly.
        let key = "/registry/rbac.authorization.k8s.io/clusterrolebindings/system:kube-dns"
        var binding = try #require(try await p.h.store.get(key).flatMap { try JSONValue(parsing: $0.value) })
        binding["roleRef"] = RoleRef(kind: "ClusterRole", name: "view").json
        _ = try await p.h.store.update(key, value: binding.jsonBytes, expectedRevision: nil)
        try await p.h.registry.reconcileBootstrapPolicy()
        let fixed = await p.get("clusterrolebindings", "system:kube-dns")
        #expect(fixed[path: ["roleRef", "name"]] == "system:kube-dns")
        #expect(fixed.metadata.uid != binding.metadata.uid)
        await p.close()
    }

    /// Acceptance: a kubeadm bootstrap token can post a CSR but not list nodes.
    @Test func bootstrapTokenCanCreateCSRButNotListNodes() async throws {
        let p = try await PolicyHarness(kubeadm: true)
        let csr = AuthorizationAttributes.resource(bootstrapToken, "create", group: "certificates.k8s.io",
                                                   "certificatesigningrequests")
        #expect(await p.allows(csr))
        #expect(await p.allows(.resource(bootstrapToken, "create", group: "certificates.k8s.io",
                                         "certificatesigningrequests", subresource: "nodeclient")))
        let nodes = AuthorizationAttributes.resource(bootstrapToken, "list", "nodes")
        let decision = await p.authorizer.authorize(nodes)
        #expect(decision == .noOpinion(""))
        #expect(StatusError.forbidden(nodes, reason: decision.reason).message
            == #"nodes is forbidden: User "system:bootstrap:abcdef" cannot list resource "nodes" in API group "" at the cluster scope"#)
        #expect(!(await p.allows(.resource(bootstrapToken, "list", "secrets", namespace: "kube-system"))))
        // Without kubeadm's token group nothing grants CSR creation: upstream binds no role to system:bootstrappers.
        let bare = UserInfo(name: "system:bootstrap:abcdef", groups: ["system:bootstrappers", "system:authenticated"])
        #expect(!(await p.allows(.resource(bare, "list", "nodes"))))
        await p.close()
    }

    /// Acceptance: anonymous sees health and version, nothing else.
    @Test func anonymousGetsPublicInfoOnly() async throws {
        let p = try await PolicyHarness()
        for path in ["/livez", "/version", "/healthz", "/readyz", "/version/"] {
            #expect(await p.allows(.nonResource(.anonymous, "get", path: path)), "\(path)")
        }
        #expect(!(await p.allows(.nonResource(.anonymous, "get", path: "/healthz/etcd"))))
        #expect(!(await p.allows(.nonResource(.anonymous, "get", path: "/api"))))
        let pods = AuthorizationAttributes.resource(.anonymous, "list", "pods")
        #expect(!(await p.allows(pods)))
        #expect(StatusError.forbidden(pods).message
            == #"pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" at the cluster scope"#)
        // An authenticated user also gets discovery and self-review.
        let bob = UserInfo(name: "bob", groups: ["system:authenticated"])
        #expect(await p.allows(.nonResource(bob, "get", path: "/apis/apps/v1")))
        #expect(await p.allows(.resource(bob, "create", group: "authorization.k8s.io", "selfsubjectaccessreviews")))
        #expect(!(await p.allows(.resource(bob, "list", "pods", namespace: "default"))))
        await p.close()
    }

    @Test func systemMastersIsAllPowerful() async throws {
        let p = try await PolicyHarness()
        let admin = UserInfo(name: "kubernetes-admin", groups: ["system:masters", "system:authenticated"])
        #expect(await p.allows(.resource(admin, "delete", "nodes", name: "n1")))
        #expect(await p.allows(.nonResource(admin, "post", path: "/anything")))
        // Through RBAC alone (the cluster-admin binding) as well as the privileged-group short-circuit.
        let rbac = RBACAuthorizer(cache: p.cache)
        #expect(await rbac.authorize(.resource(admin, "escalate", group: "rbac.authorization.k8s.io", "clusterroles")) == .allow)
        let empty = RBACAuthorizer(snapshot: .empty)
        #expect(await empty.authorize(.resource(admin, "get", "pods")) == .noOpinion(""))
        #expect(await UnionAuthorizer([PrivilegedGroupAuthorizer(), empty]).authorize(.resource(admin, "get", "pods")) == .allow)
        await p.close()
    }

    @Test func kubeadmClusterAdminsAndComponents() async throws {
        let p = try await PolicyHarness(kubeadm: true)
        let admin = UserInfo(name: "kubernetes-admin", groups: ["kubeadm:cluster-admins", "system:authenticated"])
        #expect(await p.allows(.resource(admin, "delete", group: "apps", "deployments", namespace: "x", name: "y")))
        let scheduler = UserInfo(name: "system:kube-scheduler", groups: ["system:authenticated"])
        #expect(await p.allows(.resource(scheduler, "create", "pods", subresource: "binding", namespace: "default", name: "p")))
        #expect(await p.allows(.resource(scheduler, "update", group: "coordination.k8s.io", "leases",
                                         namespace: "kube-system", name: "kube-scheduler")))
        #expect(!(await p.allows(.resource(scheduler, "update", group: "coordination.k8s.io", "leases",
                                           namespace: "default", name: "other"))))
        #expect(await p.allows(.resource(.anonymous, "get", "configmaps", namespace: "kube-public", name: "cluster-info")))
        #expect(!(await p.allows(.resource(.anonymous, "get", "configmaps", namespace: "kube-public", name: "other"))))
        await p.close()
    }

    @Test func roleBindingsServiceAccountsAndAggregation() async throws {
        let p = try await PolicyHarness()
        try await p.create("rolebindings", PolicyObjects.roleBinding("robot-view", namespace: "default", role: "view",
                                                                     roleKind: "ClusterRole", bootstrap: false,
                                                                     [.serviceAccount("", "robot")]),
                           namespace: "default")
        let robot = UserInfo(name: "system:serviceaccount:default:robot",
                             groups: ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"])
        #expect(await p.allows(.resource(robot, "list", "pods", namespace: "default")))
        #expect(await p.allows(.resource(robot, "get", group: "apps", "deployments", namespace: "default", name: "d")))
        #expect(!(await p.allows(.resource(robot, "get", "secrets", namespace: "default", name: "s"))))
        #expect(!(await p.allows(.resource(robot, "list", "pods", namespace: "kube-system"))))
        #expect(!(await p.allows(.resource(robot, "delete", "pods", namespace: "default", name: "p"))))
        // A new ClusterRole labelled for `view` flows into view, edit and admin.
        let crontabs = AuthorizationAttributes.resource(robot, "list", group: "stable.example.com", "crontabs",
                                                        namespace: "default")
        #expect(!(await p.allows(crontabs)))
        try await p.create("clusterroles", PolicyObjects.clusterRole(
            "crontab-viewer", labels: [BootstrapPolicy.aggregateToView: "true"], bootstrap: false,
            [Rules.rule(Rules.read, "stable.example.com", ["crontabs"])]))
        #expect(await p.allows(crontabs))
        #expect(p.cache.snapshot.clusterRole("admin")?.contains { $0.apiGroups == ["stable.example.com"] } == true)
        #expect(p.cache.snapshot.clusterRole("admin")?.contains { $0.resources.contains("rolebindings") } == true)
        await p.close()
    }

    @Test func bindingToAMissingRoleExplainsItself() async throws {
        let p = try await PolicyHarness()
        try await p.create("clusterrolebindings", PolicyObjects.clusterRoleBinding("carol-nope", role: "nope",
                                                                                   bootstrap: false, [.user("carol")]))
        let carol = UserInfo(name: "carol", groups: ["system:authenticated"])
        let decision = await p.authorizer.authorize(.resource(carol, "get", "pods", namespace: "default", name: "p"))
        #expect(decision == .noOpinion(#"RBAC: clusterrole.rbac.authorization.k8s.io "nope" not found"#))
        await p.close()
    }

    @Test func cacheListsAgainAfterAWatchFailure() async throws {
        let h = try await RegistryHarness()
        let flaky = FlakyWatchStore(h.store)
        let cache = RBACPolicyCache(store: flaky, retryDelay: .milliseconds(10))
        try await cache.start()
        let created = await h.send(.create, "rbac.authorization.k8s.io", "v1", "clusterroles",
                                   body: PolicyObjects.clusterRole("late", bootstrap: false, [
                                       Rules.rule(["get"], "", ["pods"]),
                                   ]))
        let revision = try #require(created.body.metadata.resourceVersion.flatMap { Int64($0) })
        #expect(await cache.waitFor(revision: revision))
        #expect(cache.snapshot.clusterRole("late")?.count == 1)
        #expect(flaky.watches.get() >= 2)
        cache.stop()
        await h.close()
    }
}

/// Delegates to a real store but fails the first watch with `.compacted`, as a 410 would.
final class FlakyWatchStore: StorageBackend {
    let base: any StorageBackend
    let watches = SnapshotBox(0)

    init(_ base: any StorageBackend) { self.base = base }

    func currentRevision() async throws -> Int64 { try await base.currentRevision() }
    func compactedRevision() async throws -> Int64 { try await base.compactedRevision() }
    func get(_ key: String) async throws -> KeyValue? { try await base.get(key) }
    func list(prefix: String, limit: Int, continueToken: String?, revision: Int64?) async throws -> ListResult {
        try await base.list(prefix: prefix, limit: limit, continueToken: continueToken, revision: revision)
    }
    func create(_ key: String, value: [UInt8]) async throws -> KeyValue { try await base.create(key, value: value) }
    func update(_ key: String, value: [UInt8], expectedRevision: Int64?) async throws -> KeyValue {
        try await base.update(key, value: value, expectedRevision: expectedRevision)
    }
    func delete(_ key: String, expectedRevision: Int64?) async throws -> DeleteResult {
        try await base.delete(key, expectedRevision: expectedRevision)
    }
    func watch(prefix: String, afterRevision revision: Int64) async throws -> WatchStream {
        let count = watches.get() + 1
        watches.set(count)
        if count == 1 { throw StorageError(.compacted, revision: revision) }
        return try await base.watch(prefix: prefix, afterRevision: revision)
    }
    func compact(_ revision: Int64) async throws { try await base.compact(revision) }
    func close() async { await base.close() }
}
