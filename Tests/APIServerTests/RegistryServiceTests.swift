import KubeAPI
import Manifests
import Testing
@testable import APIServer

/// ClusterIP and NodePort allocation, and the `default/kubernetes` Service.
@Suite("Registry services")
struct RegistryServiceTests {
    static func service(_ name: String, clusterIP: String? = nil, type: String? = nil) -> JSONValue {
        var spec: JSONValue = ["ports": [["port": 80]], "selector": ["app": "x"]]
        if let clusterIP { spec["clusterIP"] = .string(clusterIP) }
        if let type { spec["type"] = .string(type) }
        return ["metadata": ["name": .string(name)], "spec": spec]
    }

    @Test func allocatesDistinctAddressesInTheRange() async throws {
        let h = try await RegistryHarness(serviceNetwork: IPNetwork("10.96.0.0/28"))
        defer { Task { await h.close() } }
        var seen: Set<String> = []
        for index in 0..<5 {
            let created = await h.send(.create, resource: "services", namespace: "default", body: Self.service("s\(index)"))
            #expect(created.code == 201, "\(created.body)")
            let ip = created.body[path: ["spec", "clusterIP"]]?.string ?? ""
            #expect(ip.hasPrefix("10.96.0.") && ip != "10.96.0.1" && ip != "10.96.0.0")
            #expect(created.body[path: ["spec", "ports"]]?[0]?["targetPort"]?.int == 80)
            #expect(created.body[path: ["spec", "type"]]?.string == "ClusterIP")
            seen.insert(ip)
        }
        #expect(seen.count == 5)
        let taken = seen.first ?? ""
        #expect(await h.send(.create, resource: "services", namespace: "default", body: Self.service("dup", clusterIP: taken)).code == 422)
        #expect(await h.send(.create, resource: "services", namespace: "default", body: Self.service("out", clusterIP: "10.0.0.5")).code == 422)
        let headless = await h.send(.create, resource: "services", namespace: "default", body: Self.service("hl", clusterIP: "None"))
        #expect(headless.body[path: ["spec", "clusterIP"]]?.string == "None")
    }

    @Test func nodePortsAreAllocatedInTheirRange() async throws {
        let h = try await RegistryHarness(serviceNetwork: IPNetwork("10.96.0.0/12"))
        defer { Task { await h.close() } }
        let created = await h.send(.create, resource: "services", namespace: "default", body: Self.service("np", type: "NodePort"))
        let port = created.body[path: ["spec", "ports"]]?[0]?["nodePort"]?.int ?? 0
        #expect(ServiceAllocator.nodePortRange.contains(port))
    }

    @Test func kubernetesServiceIsReconciled() async throws {
        let h = try await RegistryHarness(serviceNetwork: IPNetwork("10.96.0.0/12"))
        defer { Task { await h.close() } }
        try await h.registry.reconcileKubernetesService(advertiseAddress: "192.0.2.10", securePort: 6443)
        try await h.registry.reconcileKubernetesService(advertiseAddress: "192.0.2.11", securePort: 6443)
        let service = await h.send(.get, resource: "services", namespace: "default", name: "kubernetes")
        #expect(service.body[path: ["spec", "clusterIP"]]?.string == "10.96.0.1")
        let endpoints = await h.send(.get, resource: "endpoints", namespace: "default", name: "kubernetes")
        #expect(endpoints.body["subsets"]?[0]?["addresses"]?[0]?["ip"]?.string == "192.0.2.11")
        #expect(endpoints.body["subsets"]?[0]?["ports"]?[0]?["port"]?.int == 6443)
    }
}
