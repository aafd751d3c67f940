import KubeAPI

/// What the kubelet API serves in the kubelet process: the pods the daemon syncs, and their containers as the
/// engine runs them (a pod's namespace and name lead to its UID, the UID and container name to the newest run).
struct DaemonAPIBackend: KubeletAPIBackend {
    let daemon: KubeletDaemon
    let engine: any ContainerEngine

    func pods() async -> [JSONValue] { await daemon.pods() }

    func healthy() async -> Bool { await daemon.healthy() }

    func logFile(namespace: String, pod: String, container: String, previous: Bool) async throws -> (path: String, running: Bool) {
        let runs = try await runs(namespace: namespace, pod: pod, container: container)
        let run = previous ? runs.dropFirst().first : runs.first
        guard let run, let path = engine.logPath(id: run.id) else {
            throw CRILogError("previous terminated container \"\(container)\" in pod \"\(pod)\" not found")
        }
        if case .running = run.state { return (path, true) }
        return (path, false)
    }

    func streaming(namespace: String, pod: String, container: String) async throws -> any ContainerStreaming {
        guard let latest = try await runs(namespace: namespace, pod: pod, container: container).first,
              case .running = latest.state else {
            throw RemoteCommandError("container \(container) of pod \(namespace)/\(pod) is not running")
        }
        guard let streaming = engine.streaming(id: latest.id) else {
            throw RemoteCommandError("this container engine cannot exec or attach", status: 500)
        }
        return streaming
    }

    /// The runs of one container of a pod on this node, newest first.
    private func runs(namespace: String, pod: String, container: String) async throws -> [ContainerRecord] {
        guard let uid = await daemon.pods().first(where: { $0.metadata.namespace == namespace && $0.metadata.name == pod })?.metadata.uid else {
            throw RemoteCommandError("pod \(namespace)/\(pod) is not on this node", status: 404)
        }
        let runs = await engine.containers().filter { $0.podUID == uid && $0.containerName == container }
        guard !runs.isEmpty else {
            throw RemoteCommandError("container \(container) of pod \(namespace)/\(pod) has not been started", status: 404)
        }
        return runs.sorted { $0.attempt > $1.attempt }
    }
}
