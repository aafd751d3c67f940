import KubeAPI
import Testing
@testable import APIServer

@Suite("Authorization: rule matching and forbidden messages")
struct AuthorizationRuleTests {
    let bob = UserInfo(name: "bob", groups: ["system:authenticated"])

    @Test func resourceRulesMatchVerbGroupResourceAndName() {
        let rule = PolicyRule(verbs: ["get", "list"], apiGroups: ["", "apps"], resources: ["pods", "deployments/scale"],
                              resourceNames: ["web"])
        #expect(rule.allows(.resource(bob, "get", "pods", namespace: "default", name: "web")))
        #expect(!rule.allows(.resource(bob, "get", "pods", namespace: "default", name: "other")))
        #expect(!rule.allows(.resource(bob, "delete", "pods", namespace: "default", name: "web")))
        #expect(!rule.allows(.resource(bob, "get", group: "batch", "pods", name: "web")))
        #expect(rule.allows(.resource(bob, "get", group: "apps", "deployments", subresource: "scale", name: "web")))
        // A rule for the resource does not grant its subresources.
        #expect(!rule.allows(.resource(bob, "get", "pods", subresource: "log", name: "web")))
    }

    @Test func wildcardsAndSubresourceWildcard() {
        let all = PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"])
        #expect(all.allows(.resource(bob, "escalate", group: "rbac.authorization.k8s.io", "clusterroles")))
        #expect(all.allows(.resource(bob, "get", "pods", subresource: "log")))
        let scale = PolicyRule(verbs: ["get"], apiGroups: ["*"], resources: ["*/scale"])
        #expect(scale.allows(.resource(bob, "get", group: "apps", "deployments", subresource: "scale")))
        #expect(!scale.allows(.resource(bob, "get", group: "apps", "deployments")))
        #expect(!scale.allows(.resource(bob, "get", group: "apps", "deployments", subresource: "status")))
    }

    @Test func nonResourceURLsWithTrailingStar() {
        let rule = PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz", "/apis/*"])
        #expect(rule.allows(.nonResource(bob, "get", path: "/healthz")))
        #expect(!rule.allows(.nonResource(bob, "get", path: "/healthz/etcd")))
        #expect(rule.allows(.nonResource(bob, "get", path: "/apis/apps/v1")))
        #expect(rule.allows(.nonResource(bob, "get", path: "/apis/")))
        #expect(!rule.allows(.nonResource(bob, "get", path: "/apis")))
        #expect(!rule.allows(.nonResource(bob, "post", path: "/healthz")))
        // Resource rules never match non-resource requests and vice versa.
        #expect(!PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]).allows(.nonResource(bob, "get", path: "/x")))
        #expect(!rule.allows(.resource(bob, "get", "healthz")))
    }

    @Test func forbiddenMessagesUseUpstreamWording() {
        #expect(ForbiddenMessage(.resource(bob, "list", "pods", namespace: "default"))
            == #"User "bob" cannot list resource "pods" in API group "" in the namespace "default""#)
        #expect(ForbiddenMessage(.resource(bob, "get", "nodes", name: "n1"))
            == #"User "bob" cannot get resource "nodes" in API group "" at the cluster scope"#)
        #expect(ForbiddenMessage(.resource(bob, "update", group: "apps", "deployments", subresource: "scale",
                                           namespace: "ns", name: "d"))
            == #"User "bob" cannot update resource "deployments/scale" in API group "apps" in the namespace "ns""#)
        #expect(ForbiddenMessage(.nonResource(.anonymous, "get", path: "/api/v1"))
            == #"User "system:anonymous" cannot get path "/api/v1""#)
    }

    @Test func forbiddenStatusCarriesQualifiedResourceAndReason() {
        let list = StatusError.forbidden(.resource(bob, "list", "pods", namespace: "default"))
        #expect(list.code == 403)
        #expect(list.status["reason"] == "Forbidden")
        #expect(list.message == #"pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default""#)
        #expect(list.status["details"] == ["kind": "pods"])
        let named = StatusError.forbidden(.resource(bob, "get", group: "apps", "deployments", namespace: "ns",
                                                    name: "web"), reason: "RBAC: role missing")
        #expect(named.message == #"deployments.apps "web" is forbidden: User "bob" cannot get resource "deployments" in API group "apps" in the namespace "ns": RBAC: role missing"#)
        #expect(named.status["details"] == ["name": "web", "group": "apps", "kind": "deployments"])
        let path = StatusError.forbidden(.nonResource(.anonymous, "get", path: "/api/v1"))
        #expect(path.message == #"forbidden: User "system:anonymous" cannot get path "/api/v1""#)
        #expect(path.status["details"] == .emptyObject)
    }

    @Test func attributesFromARoutedRequest() {
        let watch = AuthorizationAttributes(APIRequest(verb: .list, group: "", version: "v1", resource: "pods",
                                                       namespace: "default", query: ["watch": "true"], user: bob))
        #expect(watch.verb == "watch" && watch.namespace == "default" && watch.isResourceRequest)
        let single = AuthorizationAttributes(APIRequest(verb: .list, group: "", version: "v1", resource: "nodes",
                                                        query: ["fieldSelector": "metadata.name=n1"], user: bob))
        #expect(single.verb == "list" && single.name == "n1" && single.fieldSelector == "metadata.name=n1")
        let get = AuthorizationAttributes(APIRequest(verb: .get, group: "", version: "v1", resource: "pods",
                                                     namespace: "a", user: bob))
        #expect(get.verb == "list")
    }

    @Test func coverageChecksEveryPiece() {
        let owned = [PolicyRule(verbs: ["get", "list"], apiGroups: [""], resources: ["pods", "secrets"]),
                     PolicyRule(verbs: ["get"], apiGroups: ["*"], resources: ["*/scale"])]
        let covered = PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["a"])
        let scale = PolicyRule(verbs: ["get"], apiGroups: ["apps"], resources: ["deployments/scale"])
        let wider = PolicyRule(verbs: ["get", "watch"], apiGroups: [""], resources: ["pods"])
        #expect(PolicyRule.uncovered([covered, scale, wider], by: owned) == [wider])
        // A rule limited to names does not cover the unlimited one.
        let named = [PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["x"])]
        #expect(PolicyRule.uncovered([PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["configmaps"])],
                                     by: named).count == 1)
        let urls = [PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz/*"])]
        #expect(PolicyRule.uncovered([PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz/etcd"])], by: urls).isEmpty)
    }

    @Test func unionStopsAtTheFirstDecisionAndJoinsReasons() async {
        struct Fixed: Authorizer {
            let decision: AuthorizationDecision
            func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision { decision }
        }
        let attributes = AuthorizationAttributes.resource(bob, "get", "pods", name: "x")
        let union = UnionAuthorizer([Fixed(decision: .noOpinion("a")), Fixed(decision: .noOpinion("")),
                                     Fixed(decision: .noOpinion("b"))])
        #expect(await union.authorize(attributes) == .noOpinion("a\nb"))
        let denied = UnionAuthorizer([Fixed(decision: .deny("no")), Fixed(decision: .allow)])
        #expect(await denied.authorize(attributes) == .deny("no"))
        let masters = UserInfo(name: "admin", groups: ["system:masters", "system:authenticated"])
        #expect(await PrivilegedGroupAuthorizer().authorize(.resource(masters, "delete", "nodes", name: "n")) == .allow)
        #expect(await PrivilegedGroupAuthorizer().authorize(attributes) == .noOpinion(""))
    }
}
