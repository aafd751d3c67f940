import Testing
@testable import APIServer

/// Path parsing as upstream's RequestInfoFactory does it, including the namespace special cases.
struct RequestRouteTests {
    typealias Path = RequestRoute.ResourcePath

    @Test(arguments: [
        ("/api/v1/namespaces/default/pods/web/status", Path(group: "", version: "v1", namespace: "default", resource: "pods", name: "web", subresource: "status")),
        ("/api/v1/pods", Path(group: "", version: "v1", namespace: nil, resource: "pods")),
        ("/api/v1/namespaces", Path(group: "", version: "v1", namespace: nil, resource: "namespaces")),
        ("/api/v1/namespaces/kube-system", Path(group: "", version: "v1", namespace: nil, resource: "namespaces", name: "kube-system")),
        ("/api/v1/namespaces/x/finalize", Path(group: "", version: "v1", namespace: nil, resource: "namespaces", name: "x", subresource: "finalize")),
        ("/api/v1/namespaces/x/configmaps", Path(group: "", version: "v1", namespace: "x", resource: "configmaps")),
        ("/apis/apps/v1/namespaces/d/deployments/web/scale", Path(group: "apps", version: "v1", namespace: "d", resource: "deployments", name: "web", subresource: "scale")),
        ("/apis/rbac.authorization.k8s.io/v1/clusterroles/admin", Path(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", name: "admin")),
        ("/api/v1/nodes/n1/proxy/stats/summary", Path(group: "", version: "v1", resource: "nodes", name: "n1", subresource: "proxy", rest: ["stats", "summary"])),
        ("/api/v1/namespaces/a/configmaps/with%2Fslash", Path(group: "", version: "v1", namespace: "a", resource: "configmaps", name: "with/slash")),
    ])
    func resourcePaths(path: String, expected: Path) {
        #expect(RequestRoute.parse(path) == .resource(expected))
    }

    @Test(arguments: ["/version", "/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/healthz", "/readyz/ping", "/openapi/v3/apis/apps/v1"])
    func nonResourcePaths(path: String) {
        #expect(RequestRoute.parse(path) == .nonResource(path: path))
    }

    @Test func malformedEscapesAreRejected() {
        #expect(RequestRoute.parse("/api/v1/namespaces/%zz/pods") == nil)
    }

    @Test func verbsFollowMethodAndTarget() {
        let item = Path(group: "", version: "v1", namespace: "d", resource: "pods", name: "p")
        let collection = Path(group: "", version: "v1", namespace: "d", resource: "pods")
        #expect(item.verb(method: "GET", query: [:]) == .get)
        #expect(collection.verb(method: "GET", query: [:]) == .list)
        #expect(collection.verb(method: "GET", query: ["watch": "true"]) == .watch)
        #expect(collection.verb(method: "DELETE", query: [:]) == .deletecollection)
        #expect(item.verb(method: "DELETE", query: [:]) == .delete)
        #expect(item.verb(method: "PATCH", query: [:]) == .patch)
        #expect(item.verb(method: "TRACE", query: [:]) == nil)
    }
}

struct APIServerOptionsTests {
    @Test func parsesKubeadmManifestFlags() throws {
        let options = try APIServerOptions.parse([
            "--secure-port=6443", "--authorization-mode=Node,RBAC", "--enable-bootstrap-token-auth=true",
            "--service-account-key-file=/a.pub", "--storage-dir", "/db", "--allow-privileged=true", "--anonymous-auth=false",
        ])
        #expect(options.securePort == 6443)
        #expect(options.authorizationModes == ["Node", "RBAC"])
        #expect(options.enableBootstrapTokenAuth)
        #expect(options.serviceAccountKeyFiles == ["/a.pub"])
        #expect(options.storageDir == "/db")
        #expect(options.ignored == ["allow-privileged"])
        #expect(!options.anonymousAuth)
    }

    @Test(arguments: [["--nope=1"], ["--secure-port=99999"], ["--anonymous-auth=maybe"], ["positional"], ["--tls-cert-file"]])
    func rejectsBadFlagsWithTheirName(arguments: [String]) {
        #expect(throws: APIServerOptionsError.self) { try APIServerOptions.parse(arguments) }
    }
}

struct DiscoveryNegotiationTests {
    @Test func walksAcceptInOrder() {
        let kubectl = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
        #expect(DiscoveryDocuments.negotiateAggregated(accept: kubectl) == "v2")
        #expect(DiscoveryDocuments.negotiateAggregated(accept: "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json") == "v2beta1")
        #expect(DiscoveryDocuments.negotiateAggregated(accept: "application/json, */*") == nil)
        #expect(DiscoveryDocuments.negotiateAggregated(accept: nil) == nil)
    }
}
