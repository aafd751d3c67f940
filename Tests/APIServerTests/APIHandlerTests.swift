import Foundation
import HTTPTransport
import KubeAPI
import Testing
@testable import APIServer

/// The request pipeline without sockets: routing, authorization, virtual resources and rendering.
@Suite("APIHandler")
struct APIHandlerTests {
    /// Allows the anonymous test client and system:masters; nobody else.
    struct TestAuthorizer: Authorizer {
        func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
            attributes.user.name == "system:anonymous" || attributes.user.groups.contains("system:masters")
                ? .allow : .noOpinion("test policy")
        }
    }

    static func handler(_ h: RegistryHarness) -> APIHandler {
        APIHandler(registry: h.registry, configuration: .init(serverAddress: "127.0.0.1:6443"), tokenAuthenticator: nil,
                   authorizer: TestAuthorizer(), datastoreHealthy: { true })
    }

    static func body(_ response: HTTPResponseMessage) -> JSONValue {
        guard case .bytes(let bytes) = response.body, let value = try? JSONValue(parsing: bytes) else { return .null }
        return value
    }

    @Test func subjectAccessReviewsAskTheAuthorizer() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let handler = Self.handler(h)
        func review(_ user: String, groups: [String]) async -> JSONValue {
            let spec: JSONValue = ["user": .string(user), "groups": .array(groups.map { .string($0) }),
                                   "resourceAttributes": ["verb": "list", "resource": "pods", "namespace": "default"]]
            let body: JSONValue = ["apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": spec]
            let response = await handler.respond(to: HTTPRequestMessage(
                method: "POST", path: "/apis/authorization.k8s.io/v1/subjectaccessreviews", body: body.jsonBytes))
            #expect(response.status == 201)
            return Self.body(response)
        }
        #expect(await review("root", groups: ["system:masters"])[path: ["status", "allowed"]] == true)
        let denied = await review("bob", groups: [])
        #expect(denied[path: ["status", "allowed"]] == false)
        #expect(denied[path: ["status", "reason"]]?.string == "test policy")
        let count = try await h.store.list(prefix: "/registry/").items.count
        #expect(count > 0)
        #expect(try await h.store.list(prefix: "/registry/authorization.k8s.io/").items.isEmpty, "reviews are never stored")
    }

    @Test func tablesAreServedWhenAsked() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let handler = Self.handler(h)
        let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
        let response = await handler.respond(to: HTTPRequestMessage(method: "GET", path: "/api/v1/namespaces",
                                                                    headers: [("accept", accept)]))
        let table = Self.body(response)
        #expect(table["kind"]?.string == "Table")
        #expect(table["columnDefinitions"]?[0]?["format"]?.string == "name")
        #expect((table["rows"]?.array ?? []).count == 4)
        let plain = Self.body(await handler.respond(to: HTTPRequestMessage(method: "GET", path: "/api/v1/namespaces")))
        #expect(plain["kind"]?.string == "NamespaceList")
    }

    @Test func protobufBodiesAreDecodedCBORIs415AndUnknownPaths404() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let handler = Self.handler(h)
        let protobuf = [("content-type", "application/vnd.kubernetes.protobuf")]
        let garbage = await handler.respond(to: HTTPRequestMessage(method: "POST", path: "/api/v1/namespaces", headers: protobuf, body: [1, 2, 3]))
        #expect(garbage.status == 400)
        #expect(Self.body(garbage)["message"]?.string?.contains("Kubernetes protobuf prefix") == true)
        // What `kubectl create namespace cap` sends: the k8s\0 envelope around a runtime.Unknown.
        let namespace: [UInt8] = [0x6B, 0x38, 0x73, 0x00, 0x0A, 0x0F, 0x0A, 0x02, 0x76, 0x31, 0x12, 0x09] + Array("Namespace".utf8)
            + [0x12, 0x0B, 0x0A, 0x05, 0x0A, 0x03] + Array("cap".utf8) + [0x12, 0x00, 0x1A, 0x00]
        let created = await handler.respond(to: HTTPRequestMessage(method: "POST", path: "/api/v1/namespaces", headers: protobuf, body: namespace))
        #expect(created.status == 201)
        #expect(Self.body(created)["metadata"]?["name"] == "cap")
        #expect(created.headers.contains { $0.name == "content-type" && $0.value == "application/json" })
        let cbor = await handler.respond(to: HTTPRequestMessage(
            method: "POST", path: "/api/v1/namespaces", headers: [("content-type", "application/cbor")], body: [0xA0]))
        #expect(cbor.status == 415)
        #expect(await handler.respond(to: HTTPRequestMessage(method: "GET", path: "/nope")).status == 404)
        #expect(await handler.respond(to: HTTPRequestMessage(method: "GET", path: "/version")).status == 200)
    }
}

@Suite("pods/eviction")
struct PodEvictionTests {
    @Test func budgetsBlockOrAllowEvictions() async throws {
        let h = try await RegistryHarness()
        defer { Task { await h.close() } }
        let handler = APIHandlerTests.handler(h)
        for name in ["a", "b"] {
            let pod: JSONValue = ["metadata": ["name": .string(name), "labels": ["app": "web"]],
                                  "spec": ["containers": [["name": "c", "image": "busybox"]]]]
            #expect(await h.send(.create, resource: "pods", namespace: "default", body: pod).code == 201)
        }
        let budget: JSONValue = ["metadata": ["name": "web"], "spec": ["minAvailable": 1, "selector": ["matchLabels": ["app": "web"]]]]
        #expect(await h.send(.create, "policy", "v1", "poddisruptionbudgets", namespace: "default", body: budget).code == 201)
        func evict(_ name: String) async -> Int {
            let eviction: JSONValue = ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": .string(name), "namespace": "default"]]
            return await handler.respond(to: HTTPRequestMessage(method: "POST", path: "/api/v1/namespaces/default/pods/\(name)/eviction",
                                                                body: eviction.jsonBytes)).status
        }
        #expect(await evict("a") == 429, "no disruptions allowed until the controller says so")
        var status = await h.send(.get, "policy", "v1", "poddisruptionbudgets", namespace: "default", name: "web").body
        status["status"] = ["disruptionsAllowed": 1, "currentHealthy": 2, "desiredHealthy": 1, "expectedPods": 2, "observedGeneration": 1]
        #expect(await h.send(.update, "policy", "v1", "poddisruptionbudgets", namespace: "default", name: "web", subresource: "status", body: status).code == 200)
        #expect(await evict("a") == 201)
        #expect(await h.send(.get, resource: "pods", namespace: "default", name: "a").code == 404, "an unbound pod goes at once")
        #expect(await evict("b") == 429, "the budget was used up by the first eviction")
    }
}
