import KubeAPI

/// The `nodeipam` range allocator's decisions (upstream `pkg/controller/nodeipam/ipam/range_allocator.go`): the
/// cluster CIDR is cut into subnets of `--node-cidr-mask-size` bits, and every Node without `spec.podCIDR` gets
/// the lowest subnet no Node holds. What is taken is read from the Nodes themselves on every pass, so a restarted
/// controller rebuilds its allocation map exactly as upstream does at start-up; `reserved` covers assignments
/// written but not yet seen in the cache.
public struct NodeCIDRAllocator: Sendable {
    public var clusterCIDR: IPv4CIDR
    public var maskSize: Int
    /// Subnets overlapping the service range (`--service-cluster-ip-range`), never handed out.
    public var excluded: [IPv4CIDR]

    public struct ConfigError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Validates the flags.
    /// - Parameters:
    ///   - clusterCIDR: `--cluster-cidr` (its IPv4 member; a dual-stack list may name an IPv6 one too).
    ///   - maskSize: `--node-cidr-mask-size` (upstream default 24 for IPv4).
    ///   - serviceCIDR: `--service-cluster-ip-range`, if set.
    public init(clusterCIDR: String, maskSize: Int = 24, serviceCIDR: String? = nil) throws(ConfigError) {
        guard let cidr = Self.members(clusterCIDR).lazy.compactMap(IPv4CIDR.init).first else {
            throw ConfigError(description: "--cluster-cidr: \"\(clusterCIDR)\" is not an IPv4 CIDR (only IPv4 node CIDRs are allocated)")
        }
        guard maskSize >= cidr.prefix, maskSize <= 32 else {
            throw ConfigError(description: "--node-cidr-mask-size \(maskSize) must be between the cluster CIDR's prefix /\(cidr.prefix) and 32")
        }
        guard maskSize - cidr.prefix <= 24 else {
            throw ConfigError(description: "--node-cidr-mask-size \(maskSize) cuts \(cidr) into more than 2^24 subnets")
        }
        self.clusterCIDR = cidr
        self.maskSize = maskSize
        excluded = Self.members(serviceCIDR ?? "").compactMap(IPv4CIDR.init)
    }

    /// The comma-separated members of a CIDR flag.
    static func members(_ flag: String) -> [String] {
        flag.split(separator: ",").map { String($0.filter { $0 != " " }) }
    }

    /// Whether a `--cluster-cidr` names an IPv4 network (an IPv6-only cluster gets no allocation from this
    /// allocator rather than a controller manager that will not start).
    public static func hasIPv4(_ clusterCIDR: String) -> Bool {
        members(clusterCIDR).contains { IPv4CIDR($0) != nil }
    }

    /// Checks `--cluster-cidr` at start-up: every member must be a CIDR (IPv6 ones are accepted and left alone),
    /// and an IPv4 member must fit the mask size.
    public static func validate(clusterCIDR: String, maskSize: Int) throws(ConfigError) {
        let malformed = members(clusterCIDR).filter { IPv4CIDR($0) == nil && !($0.contains(":") && $0.contains("/")) }
        if clusterCIDR.isEmpty || !malformed.isEmpty {
            throw ConfigError(description: "--cluster-cidr: \"\(clusterCIDR)\" is not a comma-separated list of CIDRs")
        }
        if hasIPv4(clusterCIDR) { _ = try NodeCIDRAllocator(clusterCIDR: clusterCIDR, maskSize: maskSize) }
    }

    /// How many node subnets the cluster CIDR holds.
    public var capacity: Int { 1 << (maskSize - clusterCIDR.prefix) }

    /// The subnet with the given index.
    public func subnet(_ index: Int) -> IPv4CIDR {
        IPv4CIDR(base: clusterCIDR.base &+ UInt32(index) << UInt32(32 - maskSize), prefix: maskSize)
    }

    /// The index of a node subnet of this allocator, nil for a CIDR outside it or of another size.
    func index(of text: String) -> Int? {
        guard let cidr = IPv4CIDR(text), cidr.prefix == maskSize, clusterCIDR.overlaps(cidr) else { return nil }
        return Int((cidr.base &- clusterCIDR.base) >> UInt32(32 - maskSize))
    }

    /// A Node's pod CIDRs: `spec.podCIDRs`, else `spec.podCIDR`.
    public static func podCIDRs(_ node: JSONValue) -> [String] {
        let listed = (node[path: ["spec", "podCIDRs"]]?.array ?? []).compactMap(\.string)
        if !listed.isEmpty { return listed }
        return (node[path: ["spec", "podCIDR"]]?.string).map { $0.isEmpty ? [] : [$0] } ?? []
    }

    /// One pass.
    /// - Parameters:
    ///   - nodes: every Node.
    ///   - reserved: node name → CIDR assigned by this process and not yet visible on the Node.
    /// - Returns: the new assignments in node-name order, and the nodes left without one because the range is full.
    public func plan(nodes: [JSONValue], reserved: [String: String]) -> (assignments: [(node: String, cidr: String)], exhausted: [String]) {
        var used = Set<Int>()
        for node in nodes { for cidr in Self.podCIDRs(node) { if let index = index(of: cidr) { used.insert(index) } } }
        for cidr in reserved.values { if let index = index(of: cidr) { used.insert(index) } }
        var assignments: [(node: String, cidr: String)] = []
        var exhausted: [String] = []
        var candidate = 0
        let waiting = nodes.filter { Self.podCIDRs($0).isEmpty && !$0.metadata.isBeingDeleted }.compactMap(\.metadata.name)
            .filter { reserved[$0] == nil }.sorted()
        for name in waiting {
            while candidate < capacity && (used.contains(candidate) || excluded.contains(where: subnet(candidate).overlaps)) { candidate += 1 }
            guard candidate < capacity else {
                exhausted.append(name)
                continue
            }
            used.insert(candidate)
            assignments.append((name, subnet(candidate).description))
        }
        return (assignments, exhausted)
    }
}
