import Foundation

/// Pod traffic between nodes, host-gw style: a route to every other node's podCIDR through that node's InternalIP
/// (the nodes share a LAN). Routes carry their own protocol number, so the kubelet replaces only its own and
/// `reset` can flush exactly them.
public enum PeerRoutes {
    /// The rtnetlink protocol number marking kubeadm-swift's routes (unassigned in /etc/iproute2/rt_protos).
    public static let routeProtocol = "201"

    /// A peer's pod range and where to send it.
    public struct Route: Sendable, Equatable, Hashable {
        public var podCIDR: String
        public var via: String
    }

    /// The routes this node needs: every other node with a podCIDR and an InternalIP.
    public static func wanted(ownName: String, nodes: [(name: String, podCIDR: String?, internalIP: String?)]) -> Set<Route> {
        Set(nodes.compactMap { node in
            guard node.name != ownName, let cidr = node.podCIDR, !cidr.isEmpty, let ip = node.internalIP, !ip.isEmpty else { return nil }
            return Route(podCIDR: cidr, via: ip)
        })
    }

    /// Makes the kernel's routes of our protocol equal `wanted`: adds or replaces what is missing, deletes the rest.
    /// - Returns: problems, one line each (a route whose gateway is not on a local network, say).
    @discardableResult
    public static func apply(_ wanted: Set<Route>) async -> [String] {
        let existing = await installed()
        var problems: [String] = []
        for route in wanted where !existing.contains(route) {
            let result = await ip(["route", "replace", route.podCIDR, "via", route.via, "proto", routeProtocol])
            if result.status != 0 { problems.append("route \(route.podCIDR) via \(route.via): \(result.output)") }
        }
        for route in existing where !wanted.contains(route) {
            _ = await ip(["route", "del", route.podCIDR, "via", route.via, "proto", routeProtocol])
        }
        return problems
    }

    /// Removes every route of our protocol (reset).
    public static func flush() async {
        _ = await ip(["route", "flush", "proto", routeProtocol])
    }

    static func installed() async -> Set<Route> {
        let text = await ip(["route", "show", "proto", routeProtocol]).output
        return Set(text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").map(String.init)
            guard let cidr = words.first, let viaIndex = words.firstIndex(of: "via"), viaIndex + 1 < words.count else { return nil }
            return Route(podCIDR: cidr, via: words[viaIndex + 1])
        })
    }

    static func ip(_ arguments: [String]) async -> (status: Int32, output: String) {
        let program = SystemTool.path("ip") ?? "/usr/sbin/ip"
        do {
            let result = try await Subprocess.run([program] + arguments)
            return (result.exitCode, result.exitCode == 0 ? result.output : result.errorText)
        } catch {
            return (127, "\(error)")
        }
    }
}
