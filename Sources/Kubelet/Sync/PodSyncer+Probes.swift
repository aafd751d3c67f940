import Foundation
import KubeAPI

/// Probes run inside the sync: each probe whose period has passed (after its initial delay) runs once per sync.
extension PodSyncer {
    /// Runs the due probes of a running container; true when liveness has failed (the container must restart).
    func livenessFailed(_ pod: JSONValue, _ container: JSONValue, record: ContainerRecord, startedAt: KubeTime,
                        state: inout PodState) async -> Bool {
        let name = record.containerName
        if state.probes[name]?.containerID != record.id {
            var trackers: [ProbeTracker] = []
            for kind in [ProbeTracker.Kind.startup, .liveness, .readiness] {
                if let probe = container["\(kind.rawValue)Probe"], let spec = ProbeSpec(probe, container: container) {
                    trackers.append(ProbeTracker(kind: kind, spec: spec))
                }
            }
            state.probes[name] = ContainerProbes(containerID: record.id, trackers: trackers, lastRun: trackers.map { _ in nil })
        }
        guard var probes = state.probes[name] else { return false }
        let now = env.now()
        let started = probes.trackers.first { $0.kind == .startup }?.healthy ?? true
        for index in probes.trackers.indices {
            let tracker = probes.trackers[index]
            // Liveness and readiness wait for the startup probe, as upstream does.
            if tracker.kind != .startup && !started { continue }
            if tracker.kind == .startup && tracker.healthy { continue }
            guard now.timeIntervalSince(startedAt.date) >= Double(tracker.spec.initialDelaySeconds) else { continue }
            if let last = probes.lastRun[index], now.timeIntervalSince(last) < Double(tracker.spec.periodSeconds) { continue }
            probes.lastRun[index] = now
            let result = await run(tracker.spec, record: record, pod: pod, podIP: state.ips.first ?? env.hostIP)
            probes.trackers[index].record(result)
        }
        state.probes[name] = probes
        let liveness = probes.trackers.first { $0.kind == .liveness }
        let startup = probes.trackers.first { $0.kind == .startup }
        if let liveness, !liveness.healthy { return true }
        // A startup probe that reached its failure threshold also restarts the container.
        return startup?.reachedFailureThreshold ?? false
    }

    private func run(_ spec: ProbeSpec, record: ContainerRecord, pod: JSONValue, podIP: String) async -> ProbeResult {
        let timeout = TimeInterval(spec.timeoutSeconds)
        switch spec.action {
        case .exec(let command):
            let code = await env.engine.exec(id: record.id, command: command, timeout: .seconds(spec.timeoutSeconds))
            return code == 0 ? .success : .failure("command \(command) exited with \(code)")
        case .tcp(let host, let port):
            let target = host ?? podIP
            return await BlockingIO.run { NetworkProbe.tcp(host: target, port: port, timeout: timeout) }
        case .http(let host, let port, let path, let scheme, let headers):
            let target = host ?? podIP
            let tls = scheme.uppercased() == "HTTPS"
            return await BlockingIO.run {
                NetworkProbe.http(host: target, port: port, path: path, tls: tls, headers: headers, timeout: timeout)
            }
        }
    }

    /// Readiness and startup of the current run of a container, from the probe state of the sync being built (the
    /// stored state is one sync behind). Without a probe the container is ready and started once running; with
    /// one, it is neither until that probe has succeeded (upstream: readiness starts false, startup starts false),
    /// also before its tracker exists.
    func probeState(_ container: JSONValue, containerID: String, state: PodState) -> (ready: Bool, started: Bool) {
        let name = container["name"]?.string ?? ""
        guard let probes = state.probes[name], probes.containerID == containerID else {
            let has = { (kind: ProbeTracker.Kind) in container["\(kind.rawValue)Probe"].flatMap { ProbeSpec($0, container: container) } != nil }
            let started = !has(.startup)
            return (started && !has(.readiness), started)
        }
        let ready = probes.trackers.first { $0.kind == .readiness }?.healthy ?? true
        let started = probes.trackers.first { $0.kind == .startup }?.healthy ?? true
        return (ready && started, started)
    }
}
