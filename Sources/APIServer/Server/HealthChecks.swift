import Synchronization

/// The `/healthz`, `/livez` and `/readyz` endpoints with upstream's output: "ok", or with `?verbose` one
/// `[+]name ok` line per check and "<endpoint> check passed"; a failing check answers 500 with `[-]name failed:
/// reason withheld`. Each check also has its own path (`/readyz/datastore`), and `?exclude=name` skips one.
final class HealthChecks: Sendable {
    typealias Check = @Sendable () async -> Bool

    private struct State {
        var bootstrapDone = false
        var shuttingDown = false
    }

    private let state = Mutex(State())
    private let datastore: Check

    init(datastore: @escaping Check) {
        self.datastore = datastore
    }

    /// Marks the post-start work (built-in objects, the RBAC bootstrap policy) as finished.
    func markBootstrapDone() { state.withLock { $0.bootstrapDone = true } }

    /// Readiness fails from here on, so load balancers drain this server before it stops.
    func markShuttingDown() { state.withLock { $0.shuttingDown = true } }

    /// The checks of one endpoint, in upstream's order.
    private func checks(for endpoint: String) -> [(String, Check)] {
        var list: [(String, Check)] = [("ping", { true }), ("log", { true }), ("datastore", datastore)]
        if endpoint != "livez" {
            list.append(("poststarthook/rbac/bootstrap-roles", { [self] in self.state.withLock { $0.bootstrapDone } }))
        }
        if endpoint == "readyz" {
            list.append(("shutdown", { [self] in self.state.withLock { !$0.shuttingDown } }))
        }
        return list
    }

    /// Answers `/<endpoint>[/<check>]`; nil when the path names no check.
    func respond(endpoint: String, check: String?, verbose: Bool, excluded: Set<String>) async -> (status: Int, body: String)? {
        let all = checks(for: endpoint)
        if let check {
            guard let (_, run) = all.first(where: { $0.0 == check }) else { return nil }
            return await run() ? (200, "ok") : (500, "internal server error: \(check) check failed\n")
        }
        var lines: [String] = []
        var failed = false
        for (name, run) in all where !excluded.contains(name) {
            if await run() {
                lines.append("[+]\(name) ok")
            } else {
                failed = true
                lines.append("[-]\(name) failed: reason withheld")
            }
        }
        for name in excluded.sorted() { lines.append("[+]\(name) excluded: ok") }
        if failed {
            return (500, lines.joined(separator: "\n") + "\n\(endpoint) check failed\n")
        }
        return (200, verbose ? lines.joined(separator: "\n") + "\n\(endpoint) check passed\n" : "ok")
    }
}
