import Foundation
import KubeAPI

/// Drives each pod toward its spec, level-triggered: every `sync` looks at what the runtime has and does the next
/// step (network, volumes, init containers in order, app containers, restarts with back-off, probes), then reports
/// the status that results. Nothing is remembered that the runtime cannot tell again, except timers (back-off,
/// probes) and the pod's network, so a restarted kubelet picks up its running containers where they are.
public actor PodSyncer {
    public struct Environment: Sendable {
        public var engine: any ContainerEngine
        public var network: any PodNetworkEngine
        public var images: any ImageResolver
        public var volumes: VolumeManager
        public var environment: EnvironmentResolver
        public var podLogsDir: String
        public var hostIP: String
        /// What goes into each pod's /etc/resolv.conf (and its /etc/hosts names).
        public var dns: PodDNSSettings
        public var now: @Sendable () -> Date
        public var log: @Sendable (String) -> Void

        public init(engine: any ContainerEngine, network: any PodNetworkEngine, images: any ImageResolver, volumes: VolumeManager,
                    environment: EnvironmentResolver, podLogsDir: String, hostIP: String, dns: PodDNSSettings = PodDNSSettings(),
                    now: @escaping @Sendable () -> Date = { Date() }, log: @escaping @Sendable (String) -> Void = { _ in }) {
            self.engine = engine; self.network = network; self.images = images; self.volumes = volumes
            self.environment = environment; self.podLogsDir = podLogsDir; self.hostIP = hostIP; self.dns = dns
            self.now = now; self.log = log
        }
    }

    /// What is remembered about one pod between syncs.
    struct PodState {
        var startTime: KubeTime
        var netns: String?
        var ips: [String] = []
        var volumePaths: [String: String]?
        /// The pod's /etc/hosts, /etc/hostname and /etc/resolv.conf, written once its addresses are known.
        var etcFiles: [VolumeManager.Mount]?
        var backoff = RestartBackoff()
        var nextStart: [String: Date] = [:]
        /// Why a container is not running, when the runtime cannot say (image missing, config error, back-off).
        var waiting: [String: (reason: String, message: String?)] = [:]
        var probes: [String: ContainerProbes] = [:]
        var lastStatus: JSONValue?
    }

    struct ContainerProbes {
        var containerID: String
        var trackers: [ProbeTracker]
        var lastRun: [Date?]
    }

    let env: Environment
    var pods: [String: PodState] = [:]

    public init(_ environment: Environment) {
        env = environment
    }

    /// The UIDs of pods with state here.
    public var knownPods: Set<String> { Set(pods.keys) }

    // MARK: - Sync

    /// One step toward the pod's spec; returns its status.
    public func sync(_ pod: JSONValue) async -> JSONValue {
        let uid = pod.metadata.uid ?? ""
        var state = pods[uid] ?? PodState(startTime: KubeTime(env.now()))
        let spec = pod["spec"] ?? .emptyObject
        let records = await env.engine.containers().filter { $0.podUID == uid }
        var sandboxReady = true
        if !(spec["hostNetwork"]?.bool ?? false), state.netns == nil {
            do {
                let ports = (spec["containers"]?.array ?? []).flatMap { container in
                    (container["ports"]?.array ?? []).filter { $0["hostPort"] != nil }
                }
                let (netns, ips) = try await env.network.setUp(podUID: uid, namespace: pod.metadata.namespace ?? "default",
                                                               name: pod.metadata.name ?? "", portMappings: ports)
                state.netns = netns
                state.ips = ips
            } catch {
                sandboxReady = false
                for container in Self.names(spec, "containers") { state.waiting[container] = ("ContainerCreating", "failed to set up the pod network: \(error)") }
            }
        } else if spec["hostNetwork"]?.bool ?? false {
            state.ips = [env.hostIP]
        }
        if sandboxReady {
            do {
                state.volumePaths = try await env.volumes.setUp(pod)
                if state.etcFiles == nil {
                    state.etcFiles = try PodEtcFiles.write(pod, podIPs: state.ips, settings: env.dns, podDirectory: env.volumes.podDirectory(uid))
                }
                await runContainers(pod, spec: spec, records: records, state: &state)
            } catch {
                for container in Self.names(spec, "containers") { state.waiting[container] = ("ContainerCreating", "\(error)") }
            }
        }
        var refreshed = await env.engine.containers().filter { $0.podUID == uid }
        // Keep the current and the previous run of each container (for `kubectl logs --previous`); older runs go.
        for name in Set(refreshed.map(\.containerName)) {
            let runs = refreshed.filter { $0.containerName == name }.sorted { $0.attempt > $1.attempt }
            for old in runs.dropFirst(2) {
                await env.engine.remove(id: old.id)
                refreshed.removeAll { $0.id == old.id }
            }
        }
        let status = statusOf(pod, spec: spec, records: refreshed, state: &state, sandboxReady: sandboxReady && state.netns != nil || (spec["hostNetwork"]?.bool ?? false))
        state.lastStatus = status
        pods[uid] = state
        return status
    }

    /// Init containers one at a time (each must succeed before the next), then every app container.
    private func runContainers(_ pod: JSONValue, spec: JSONValue, records: [ContainerRecord], state: inout PodState) async {
        let policy = spec["restartPolicy"]?.string ?? "Always"
        for container in spec["initContainers"]?.array ?? [] {
            let name = container["name"]?.string ?? ""
            let latest = Self.latest(records, name)
            switch latest?.state {
            case .exited(0, _, _, _)?:
                continue
            case .running?, .unknown?:
                return
            case .exited?:
                if policy != "Never" { await restartIfDue(pod, container, latest: latest, state: &state) }
                return
            case nil:
                await start(pod, container, attempt: 0, state: &state)
                return
            }
        }
        for container in spec["containers"]?.array ?? [] {
            let name = container["name"]?.string ?? ""
            let latest = Self.latest(records, name)
            switch latest?.state {
            case nil:
                await start(pod, container, attempt: 0, state: &state)
            case .running(let startedAt)?:
                if let latest, await livenessFailed(pod, container, record: latest, startedAt: startedAt, state: &state) {
                    env.log("container \(name) of pod \(pod.metadata.name ?? "") failed its liveness probe; restarting it")
                    let grace = Duration.seconds(spec["terminationGracePeriodSeconds"]?.int64 ?? 30)
                    await env.engine.stop(id: latest.id, grace: grace)
                }
            case .exited(let code, _, _, _)?:
                let restart = policy == "Always" || (policy == "OnFailure" && code != 0)
                if restart { await restartIfDue(pod, container, latest: latest, state: &state) }
            case .unknown?:
                break
            }
        }
    }

    private func restartIfDue(_ pod: JSONValue, _ container: JSONValue, latest: ContainerRecord?, state: inout PodState) async {
        guard let latest, case .exited(_, _, let startedAt, let finishedAt) = latest.state else { return }
        let name = container["name"]?.string ?? ""
        let key = (pod.metadata.uid ?? "") + "/" + name
        if state.nextStart[name] == nil {
            // The first restart is immediate; every later one waits 10 s, 20 s, ... up to 5 min.
            let delay = latest.attempt == 0 ? 0 : state.backoff.nextDelay(for: key, startedAt: startedAt?.date, finishedAt: finishedAt.date)
            state.nextStart[name] = finishedAt.date.addingTimeInterval(delay)
        }
        let due = state.nextStart[name] ?? env.now()
        if env.now() >= due {
            state.nextStart[name] = nil
            await start(pod, container, attempt: latest.attempt + 1, state: &state)
        } else {
            let seconds = Int(due.timeIntervalSince(finishedAt.date).rounded())
            state.waiting[name] = ("CrashLoopBackOff", "back-off \(seconds)s restarting failed container=\(name) pod=\(pod.metadata.name ?? "")_\(pod.metadata.namespace ?? "")(\(pod.metadata.uid ?? ""))")
        }
    }

    private func start(_ pod: JSONValue, _ container: JSONValue, attempt: Int, state: inout PodState) async {
        let name = container["name"]?.string ?? ""
        let image = container["image"]?.string ?? ""
        let defaults: ImageDefaults
        do {
            defaults = try await env.images.configuration(of: image)
        } catch let error as ImageUnavailable {
            state.waiting[name] = (error.reason, error.message)
            return
        } catch {
            state.waiting[name] = ("ErrImagePull", "\(error)")
            return
        }
        var podView = pod
        podView[path: ["status", "podIP"]] = state.ips.first.map { .string($0) } ?? .null
        podView[path: ["status", "podIPs"]] = .array(state.ips.map { ["ip": .string($0)] })
        podView[path: ["status", "hostIP"]] = .string(env.hostIP)
        let environment: [(String, String)]
        var mounts: [VolumeManager.Mount]
        do {
            environment = try await env.environment.environment(for: container, in: podView)
            mounts = try VolumeManager.mounts(for: container, volumePaths: state.volumePaths ?? [:])
            mounts += PodEtcFiles.mounts(state.etcFiles ?? [], excluding: mounts)
        } catch {
            state.waiting[name] = ("CreateContainerConfigError", "\(error)")
            return
        }
        let (command, args) = Self.entrypoint(container: container, image: defaults)
        let imageEnv = defaults.env.compactMap { entry -> (String, String)? in
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
        let uid = pod.metadata.uid ?? ""
        let namespace = pod.metadata.namespace ?? "default"
        let podName = pod.metadata.name ?? ""
        let launch = ContainerLaunch(
            podUID: uid, podNamespace: namespace, podName: podName, containerName: name, attempt: attempt, image: image,
            command: command, args: args, environment: imageEnv.filter { pair in !environment.contains { $0.0 == pair.0 } } + environment,
            workingDir: container["workingDir"]?.string ?? defaults.workingDir, mounts: mounts,
            networkNamespace: (pod[path: ["spec", "hostNetwork"]]?.bool ?? false) ? nil : state.netns,
            hostname: PodEtcFiles.hostname(pod),
            container: container, podSpec: pod["spec"] ?? .emptyObject,
            logPath: "\(env.podLogsDir)/\(namespace)_\(podName)_\(uid)/\(name)/\(attempt).log")
        do {
            let id = try await env.engine.start(launch)
            env.log("started container \(name) (\(id)) of pod \(namespace)/\(podName), attempt \(attempt)")
            state.waiting[name] = nil
        } catch {
            state.waiting[name] = ("CreateContainerError", "\(error)")
        }
    }

    /// Kubernetes' rule: `command` replaces the image's Entrypoint (and drops its Cmd), `args` replaces Cmd.
    public static func entrypoint(container: JSONValue, image: ImageDefaults) -> (command: [String], args: [String]) {
        let command = container["command"]?.array?.compactMap(\.string)
        let args = container["args"]?.array?.compactMap(\.string)
        switch (command, args) {
        case (let command?, let args?): return (command, args)
        case (let command?, nil): return (command, [])
        case (nil, let args?): return (image.entrypoint, args)
        case (nil, nil): return (image.entrypoint, image.cmd)
        }
    }

    static func names(_ spec: JSONValue, _ key: String) -> [String] {
        (spec[key]?.array ?? []).compactMap { $0["name"]?.string }
    }

    static func latest(_ records: [ContainerRecord], _ name: String) -> ContainerRecord? {
        records.filter { $0.containerName == name }.max { $0.attempt < $1.attempt }
    }
}
