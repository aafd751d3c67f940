import Foundation
import HTTPTransport
import KubeAPI
import Testing
@testable import APIServer

/// `Impersonate-*` headers and SelfSubjectRulesReview, through the whole handler with a real RBAC policy. The test
/// client is anonymous; the policy lets it impersonate alice (and group devs), and alice may list pods in `a`.
@Suite("Impersonation and rules reviews")
struct ImpersonationTests {
    static let policy = RBACPolicySnapshot(
        clusterRoles: [
            ["metadata": ["name": "impersonator"],
             "rules": [["verbs": ["impersonate"], "apiGroups": [""], "resources": ["users"], "resourceNames": ["alice"]],
                       ["verbs": ["impersonate"], "apiGroups": [""], "resources": ["groups"], "resourceNames": ["devs"]],
                       ["verbs": ["impersonate"], "apiGroups": [""], "resources": ["serviceaccounts"]],
                       ["verbs": ["create"], "apiGroups": ["authorization.k8s.io", "authentication.k8s.io"],
                        "resources": ["selfsubjectrulesreviews", "selfsubjectreviews"]]]],
            ["metadata": ["name": "pod-reader"], "rules": [["verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]]]],
        ],
        roles: [],
        clusterRoleBindings: [
            ["metadata": ["name": "anon"], "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "impersonator"],
             "subjects": [["kind": "User", "name": "system:anonymous"], ["kind": "Group", "name": "system:authenticated"]]],
        ],
        roleBindings: [
            ["metadata": ["name": "alice", "namespace": "a"],
             "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "pod-reader"],
             "subjects": [["kind": "User", "name": "alice"]]],
        ])

    static func handler(_ h: RegistryHarness) -> APIHandler {
        APIHandler(registry: h.registry, configuration: .init(serverAddress: "127.0.0.1:6443"), tokenAuthenticator: nil,
                   authorizer: UnionAuthorizer([PrivilegedGroupAuthorizer(), RBACAuthorizer(snapshot: policy)]), datastoreHealthy: { true })
    }

    static func request(_ handler: APIHandler, _ method: String, _ path: String, headers: [(String, String)], body: JSONValue? = nil) async
        -> (status: Int, body: JSONValue)
    {
        let response = await handler.respond(to: HTTPRequestMessage(
            method: method, path: path, headers: headers.map { (name: $0.0, value: $0.1) }, body: body?.jsonBytes ?? []))
        return (response.status, APIHandlerTests.body(response))
    }

    @Test func requestsRunAsTheImpersonatedUserOnlyWhenAllowed() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let handler = Self.handler(h)
        let asAlice = [("impersonate-user", "alice")]
        #expect(await Self.request(handler, "GET", "/api/v1/namespaces/a/pods", headers: asAlice).status == 200)
        let nodes = await Self.request(handler, "GET", "/api/v1/nodes", headers: asAlice)
        #expect(nodes.status == 403)
        #expect(nodes.body["message"]?.string?.contains(#"User "alice" cannot list resource "nodes""#) == true)

        let bob = await Self.request(handler, "GET", "/api/v1/namespaces/a/pods", headers: [("impersonate-user", "bob")])
        #expect(bob.status == 403)
        #expect(bob.body["message"]?.string == #"users "bob" is forbidden: User "system:anonymous" cannot impersonate resource "users" in API group "" at the cluster scope"#)
        let admins = await Self.request(handler, "GET", "/api/v1/nodes", headers: asAlice + [("impersonate-group", "system:masters")])
        #expect(admins.status == 403, "groups are authorized one by one: alice may not be made a master")
        let groupOnly = await Self.request(handler, "GET", "/api/v1/nodes", headers: [("impersonate-group", "devs")])
        #expect(groupOnly.status == 400)
    }

    @Test func impersonatedIdentityIsWhatWhoAmISees() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let handler = Self.handler(h)
        let review: JSONValue = ["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"]
        let path = "/apis/authentication.k8s.io/v1/selfsubjectreviews"
        let alice = await Self.request(handler, "POST", path, headers: [("impersonate-user", "alice"), ("impersonate-group", "devs")], body: review)
        #expect(alice.body[path: ["status", "userInfo"]] == ["username": "alice", "groups": ["devs", "system:authenticated"]])
        let bot = await Self.request(handler, "POST", path, headers: [("impersonate-user", "system:serviceaccount:a:bot")], body: review)
        #expect(bot.body[path: ["status", "userInfo", "groups"]] == ["system:serviceaccounts", "system:serviceaccounts:a", "system:authenticated"])
    }

    @Test func rulesReviewListsTheRulesThatApplyInTheNamespace() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let handler = Self.handler(h)
        let path = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews"
        func review(_ namespace: String) async -> (status: Int, body: JSONValue) {
            await Self.request(handler, "POST", path, headers: [("impersonate-user", "alice")],
                               body: ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": ["namespace": .string(namespace)]])
        }
        let inA = await review("a")
        #expect(inA.status == 201)
        let podReader: JSONValue = ["verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]]
        #expect((inA.body[path: ["status", "resourceRules"]]?.array ?? []).contains(podReader))
        #expect(inA.body[path: ["status", "incomplete"]] == false)
        let inB = await review("b")
        let inBRules = inB.body[path: ["status", "resourceRules"]]?.array ?? []
        #expect(!inBRules.isEmpty && !inBRules.contains(podReader), "cluster-wide rules only, not a's RoleBinding")
        #expect(await review("").status == 400)
    }
}
