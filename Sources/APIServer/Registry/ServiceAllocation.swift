import KubeAPI
import Manifests
import Storage

/// ClusterIP and NodePort allocation for Services, as upstream's service REST storage does on create.
///
/// Each allocated address or port is a key in the store (`/registry/serviceips/<ip>`, `/registry/servicenodeports/
/// <port>`) whose value names the owning Service, so two concurrent creates can never take the same one (the
/// store's create is atomic) — the same idea as upstream's IPAddress objects. Release is level-triggered: a key
/// whose Service is gone (or no longer uses it) is reclaimed when an allocation runs into it, so no deletion path
/// has to remember to free anything. The value is `<namespace>/<name> <unix seconds>`; claims younger than
/// `claimGraceSeconds` are never reclaimed, so a create still in flight keeps its address.
struct ServiceAllocator: Sendable {
    let network: IPNetwork
    static let nodePortRange = 30000...32767
    static let ipPrefix = "/registry/serviceips/"
    static let nodePortPrefix = "/registry/servicenodeports/"

    /// How many addresses of the network are usable: the network and (IPv4) broadcast addresses are not.
    var size: Int {
        let hostBits = network.address.bytes.count * 8 - network.prefixLength
        return hostBits >= 20 ? (1 << 20) : max(0, (1 << hostBits) - (network.address.isIPv4 ? 2 : 1))
    }

    /// The address of the `default/kubernetes` Service: the first of the range, as upstream reserves it.
    var kubernetesServiceIP: String? { network.address(at: 1)?.description }
}

extension Registry {
    /// Fills service defaults and allocates `spec.clusterIP(s)` and node ports for a Service being created.
    func allocateServiceAddresses(_ service: inout JSONValue, namespace: String, dryRun: Bool) async throws {
        var spec = service["spec"] ?? .emptyObject
        let type = spec["type"]?.string ?? "ClusterIP"
        spec["type"] = .string(type)
        if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
        if type != "ExternalName", spec["internalTrafficPolicy"] == nil { spec["internalTrafficPolicy"] = "Cluster" }
        var ports = spec["ports"]?.array ?? []
        for index in ports.indices {
            if ports[index]["protocol"] == nil { ports[index]["protocol"] = "TCP" }
            if ports[index]["targetPort"] == nil, let port = ports[index]["port"] { ports[index]["targetPort"] = port }
        }
        let owner = "\(namespace)/\(service.metadata.name ?? "")"
        if let allocator = serviceAllocator, type != "ExternalName" {
            let requested = spec["clusterIP"]?.string ?? ""
            if requested != "None" {
                let ip = try await allocateIP(allocator, requested: requested, owner: owner, dryRun: dryRun)
                spec["clusterIP"] = .string(ip)
                spec["clusterIPs"] = [.string(ip)]
            } else {
                spec["clusterIPs"] = ["None"]
            }
            spec["ipFamilies"] = [allocator.network.address.isIPv4 ? "IPv4" : "IPv6"]
            if spec["ipFamilyPolicy"] == nil { spec["ipFamilyPolicy"] = "SingleStack" }
        }
        if type == "NodePort" || type == "LoadBalancer" {
            for index in ports.indices {
                let wanted = ports[index]["nodePort"]?.int ?? 0
                ports[index]["nodePort"] = .integer(Int64(try await allocateNodePort(wanted, owner: owner, dryRun: dryRun)))
            }
        }
        if !ports.isEmpty { spec["ports"] = .array(ports) }
        service["spec"] = spec
    }

    private func allocateIP(_ allocator: ServiceAllocator, requested: String, owner: String, dryRun: Bool) async throws -> String {
        if !requested.isEmpty {
            guard let address = IPAddress(requested), IPNetwork("\(requested)/\(allocator.network.prefixLength)")?.address == allocator.network.address
            else {
                throw StatusError.invalid(Self.serviceInfo, owner, [FieldError.invalid(
                    "spec.clusterIPs[0]", requested, "failed to allocate IP \(requested): the provided IP (\(requested)) is not in the valid range. "
                        + "The range of valid IPs is \(allocator.network)")])
            }
            guard try await claim(ServiceAllocator.ipPrefix + address.description, owner: owner, dryRun: dryRun, stillUsed: { $0 == address.description }) else {
                throw StatusError.invalid(Self.serviceInfo, owner, [FieldError.invalid(
                    "spec.clusterIPs[0]", requested, "failed to allocate IP \(requested): provided IP is already allocated")])
            }
            return address.description
        }
        let size = allocator.size
        guard size > 1 else { throw StatusError.internalError("the service network \(allocator.network) has no free addresses") }
        // Offset 1 is reserved for default/kubernetes; start elsewhere at random so creates rarely collide.
        let start = Int.random(in: 2...max(2, size))
        for step in 0..<size {
            let offset = 2 + (start - 2 + step) % max(1, size - 1)
            guard let candidate = allocator.network.address(at: offset)?.description else { continue }
            if try await claim(ServiceAllocator.ipPrefix + candidate, owner: owner, dryRun: dryRun, stillUsed: { $0 == candidate }) {
                return candidate
            }
        }
        throw StatusError(code: 500, reason: "InternalError", message: "Internal error occurred: failed to allocate a serviceIP: range is full")
    }

    private func allocateNodePort(_ wanted: Int, owner: String, dryRun: Bool) async throws -> Int {
        let range = ServiceAllocator.nodePortRange
        if wanted != 0 {
            guard range.contains(wanted) else {
                throw StatusError.invalid(Self.serviceInfo, owner, [FieldError.invalid(
                    "spec.ports[0].nodePort", String(wanted), "provided port is not in the valid range. The range of valid ports is \(range.lowerBound)-\(range.upperBound)")])
            }
            guard try await claim(ServiceAllocator.nodePortPrefix + String(wanted), owner: owner, dryRun: dryRun, nodePort: wanted) else {
                throw StatusError.invalid(Self.serviceInfo, owner, [FieldError.invalid(
                    "spec.ports[0].nodePort", String(wanted), "provided port is already allocated")])
            }
            return wanted
        }
        let start = Int.random(in: range)
        for step in 0..<range.count {
            let port = range.lowerBound + (start - range.lowerBound + step) % range.count
            if try await claim(ServiceAllocator.nodePortPrefix + String(port), owner: owner, dryRun: dryRun, nodePort: port) { return port }
        }
        throw StatusError(code: 500, reason: "InternalError", message: "Internal error occurred: failed to allocate a nodePort: range is full")
    }

    private func claim(_ key: String, owner: String, dryRun: Bool, nodePort: Int) async throws -> Bool {
        try await claim(key, owner: owner, dryRun: dryRun, stillUsed: nil, nodePort: nodePort)
    }

    /// Takes `key` for `owner`; an existing claim whose Service no longer uses it is reclaimed first.
    private func claim(_ key: String, owner: String, dryRun: Bool, stillUsed: ((String) -> Bool)?, nodePort: Int? = nil) async throws -> Bool {
        for _ in 0..<3 {
            guard let existing = try await store.get(key) else {
                if dryRun { return true }
                do {
                    _ = try await store.create(key, value: Array("\(owner) \(now().seconds)".utf8))
                    return true
                } catch let error as StorageError where error.code == .keyExists {
                    continue
                }
            }
            let record = String(decoding: existing.value, as: UTF8.self).split(separator: " ").map(String.init)
            // A claim younger than the grace period may belong to a create still in flight: never reclaim it.
            if let claimed = record.last.flatMap({ Int64($0) }), now().seconds - claimed < Self.claimGraceSeconds { return false }
            let parts = (record.first ?? "").split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2, let (_, service) = try await read(ResourceKeys.key(Self.serviceInfo, namespace: parts[0], name: parts[1])) {
                let uses: Bool
                if let nodePort {
                    uses = (service[path: ["spec", "ports"]]?.array ?? []).contains { $0["nodePort"]?.int == nodePort }
                } else {
                    uses = stillUsed?(service[path: ["spec", "clusterIP"]]?.string ?? "") ?? true
                }
                if uses { return false }
            }
            if dryRun { return true }
            do {
                _ = try await store.delete(key, expectedRevision: existing.modRevision)
            } catch let error as StorageError where error.code == .conflict || error.code == .notFound {
                continue
            }
        }
        return false
    }

    /// How long a fresh claim is protected from reclaiming (a create finishes well within it).
    static let claimGraceSeconds: Int64 = 60

    static let serviceInfo: APIResourceInfo = ResourceTable.resource(group: "", version: "v1", plural: "services")
        ?? APIResourceInfo(group: "", version: "v1", kind: "Service", plural: "services", namespaced: true, verbs: [])
}
