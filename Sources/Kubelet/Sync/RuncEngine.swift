import Foundation
import KubeAPI

/// Prepares and releases a container's root filesystem (the local image store's overlay in production).
public protocol RootfsProvider: Sendable {
    /// A writable root for container `id` from `image`.
    func prepare(containerID: String, image: String) async throws -> String
    func release(containerID: String) async
}

/// The sync loop's `ContainerEngine` on the runc runtime: a `ContainerLaunch` becomes a `ContainerSpec` (user from
/// the image's passwd file and the security contexts, resources, namespaces, mounts, cgroup of the pod's QoS class),
/// and runtime statuses become `ContainerRecord`s. Container ids carry the pod uid, name and attempt, so a restarted
/// kubelet finds its containers again from the runtime alone.
public struct RuncEngine: ContainerEngine {
    let runtime: ContainerRuntime
    let rootfs: any RootfsProvider

    public init(runtime: ContainerRuntime, rootfs: any RootfsProvider) {
        self.runtime = runtime
        self.rootfs = rootfs
    }

    /// `<first 8 of the pod uid>-<container>-<attempt>`: unique on the node and valid for runc.
    static func containerID(podUID: String, container: String, attempt: Int) -> String {
        let uid = podUID.replacingOccurrences(of: "-", with: "").prefix(12)
        return "\(uid)-\(container)-\(attempt)"
    }

    public func start(_ launch: ContainerLaunch) async throws -> String {
        let id = Self.containerID(podUID: launch.podUID, container: launch.containerName, attempt: launch.attempt)
        let root = try await rootfs.prepare(containerID: id, image: launch.image)
        let podSecurity = launch.podSpec["securityContext"]
        let containerSecurity = launch.container["securityContext"]
        let user = try ProcessUser.resolve(
            imageUser: nil,
            runAsUser: containerSecurity?["runAsUser"]?.int64 ?? podSecurity?["runAsUser"]?.int64,
            runAsGroup: containerSecurity?["runAsGroup"]?.int64 ?? podSecurity?["runAsGroup"]?.int64,
            supplementalGroups: (podSecurity?["supplementalGroups"]?.array ?? []).compactMap(\.int64), rootfs: root)
        let security = ContainerSecurity(pod: try? podSecurity?.decode(as: CoreV1.PodSecurityContext.self),
                                         container: try? containerSecurity?.decode(as: CoreV1.SecurityContext.self))
        let resources = try ContainerResources(try launch.container["resources"]?.decode(as: CoreV1.ResourceRequirements.self))
        let namespaces = ContainerNamespaces.pod(networkNamespacePath: launch.networkNamespace,
                                                 hostPID: launch.podSpec["hostPID"]?.bool ?? false,
                                                 hostIPC: launch.podSpec["hostIPC"]?.bool ?? false)
        let mounts = launch.mounts.map { ContainerMount(destination: $0.destination, source: $0.source, readOnly: $0.readOnly) }
        let podResources = try ((launch.podSpec["containers"]?.array ?? []) + (launch.podSpec["initContainers"]?.array ?? [])).map {
            try ContainerResources(try $0["resources"]?.decode(as: CoreV1.ResourceRequirements.self))
        }
        let qos = QOSClass.of(podResources)
        let cgroupParent = try runtime.cgroups.ensurePod(uid: launch.podUID, qos: qos, config: PodCgroupConfig.forPod(containers: podResources))
        let spec = ContainerSpec(
            id: id, pod: PodIdentity(uid: launch.podUID, namespace: launch.podNamespace, name: launch.podName),
            name: launch.containerName, restartCount: launch.attempt, rootfs: root, args: launch.command + launch.args,
            env: launch.environment.map { "\($0.0)=\($0.1)" }, workingDir: launch.workingDir, user: user, mounts: mounts,
            resources: resources, security: security, namespaces: namespaces, hostname: launch.hostname,
            cgroupParent: cgroupParent, annotations: ["io.kubernetes.image": launch.image], logPath: launch.logPath)
        do {
            _ = try await runtime.run(spec)
        } catch {
            await rootfs.release(containerID: id)
            throw error
        }
        return id
    }

    public func containers() async -> [ContainerRecord] {
        ((try? runtime.list()) ?? []).map { status in
            let state: ContainerRecord.State
            switch status.state {
            case .running:
                state = .running(startedAt: KubeTime(status.startedAt ?? status.createdAt))
            case .exited:
                state = .exited(code: status.exitCode ?? TerminationReason.unknownExitCode, reason: status.reason ?? TerminationReason.unknown,
                                startedAt: status.startedAt.map(KubeTime.init), finishedAt: KubeTime(status.finishedAt ?? Date()))
            case .created:
                state = .unknown
            }
            let image = (try? runtime.spec(status.id))?.annotations["io.kubernetes.image"] ?? ""
            return ContainerRecord(id: status.id, podUID: status.pod.uid, containerName: status.name, attempt: status.restartCount,
                                   state: state, imageID: image)
        }
    }

    public func stop(id: String, grace: Duration) async {
        _ = try? await runtime.stop(id, gracePeriod: grace)
    }

    public func remove(id: String) async {
        try? await runtime.remove(id, removeLogs: false)
        await rootfs.release(containerID: id)
    }

    public func exec(id: String, command: [String], timeout: Duration) async -> Int32 {
        (try? await runtime.execSync(id, command, timeout: timeout))?.exitCode ?? 126
    }

    public func streaming(id: String) -> (any ContainerStreaming)? {
        RuntimeContainerStreaming(runtime: runtime, id: id)
    }

    public func logPath(id: String) -> String? {
        try? runtime.status(id).logPath
    }
}
