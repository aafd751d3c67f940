import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The kubelet's container runtime: OCI bundles run by runc, logs in CRI format, cgroups by the cgroupfs driver.
///
/// Lifecycle of a container:
///
/// ```
///   run(spec) ──> created ──> running ──> exited ──> remove(id)
///                    │                       ▲
///                    └── StartError ─────────┘     stop(id, grace): stop signal, grace, SIGKILL
/// ```
///
/// Everything about a container lives in files, and the containers run under a shim that is not the kubelet's
/// child, so the kubelet can exit or crash without touching them; a new instance calls `recover()` to find them
/// again and resume copying their output into their logs.
///
/// ```
/// <stateDirectory>/containers/<id>/   the bundle (`ContainerBundle`): config.json, spec.json, FIFOs, pid, exit
/// <stateDirectory>/runc/              runc's --root: only our containers
/// <podLogsDirectory>/<ns>_<pod>_<uid>/<container>/<restart>.log      CRI log, rotated by size
/// /sys/fs/cgroup/<ctrl>/<cgroupRoot>/kubepods/[burstable|besteffort/]pod<uid>/<id>
/// ```
///
/// - `ContainerShim`: why `setsid sh -c 'runc run --keep ...; echo $? > exit'` and FIFOs held read-write.
/// - `LogPump`: one thread per running container turns its FIFOs into CRI log lines.
/// - `ContainerStatusReader`: status from the bundle files alone, so relisting needs no runc call.
/// - `OCISpecBuilder` and `CgroupManager`: containerd's CRI defaults and the kubelet's cgroup arithmetic.
public final class ContainerRuntime: Sendable {
    /// The paths and limits in use.
    public let configuration: RuntimeConfiguration
    /// The runc command line.
    public let runc: Runc
    /// The cgroupfs driver (pod cgroups are the kubelet's to create before running a pod's containers).
    public let cgroups: CgroupManager
    let builder: OCISpecBuilder
    let reader: ContainerStatusReader
    let shimTools: ContainerShim.Tools
    private let pumps = Mutex<[String: LogPump]>([:])

    /// Opens the runtime: finds runc and creates the state directories.
    /// - Parameters:
    ///   - configuration: paths and limits.
    ///   - host: what the kubelet's process may hand to containers (read from /proc/self by default).
    /// - Throws: `RuntimeError` when runc is missing or a directory cannot be created.
    public init(configuration: RuntimeConfiguration = .init(), host: HostFacts = .current()) throws {
        guard let binary = configuration.runcPath ?? Runc.locate() else {
            throw RuntimeError(.invalidSpec, "runc not found (apt-get install runc)")
        }
        // A write into a pipe whose reader has gone (an exec'd process that quit before reading its stdin) must
        // fail with EPIPE, not kill the kubelet. Children get default signal handling back (`Spawn`).
        signal(SIGPIPE, SIG_IGN)
        self.configuration = configuration
        self.runc = Runc(binary: binary, root: configuration.runcRoot)
        self.cgroups = CgroupManager(cgroupRoot: configuration.cgroupRoot)
        self.builder = OCISpecBuilder(
            host: host, swapAccounting: cgroups.swapAccounting, cgroupV2: cgroups.version == .v2)
        self.reader = ContainerStatusReader(cgroups: cgroups, podLogsDirectory: configuration.podLogsDirectory)
        self.shimTools = ContainerShim.Tools()
        for directory in [configuration.containersDirectory, configuration.runcRoot] {
            try Self.makeDirectory(directory, mode: 0o700)
        }
    }

    /// The bundle of `id`; an id that is not a valid container id names no container (and no other directory).
    func bundle(_ id: String) throws -> ContainerBundle {
        guard ContainerSpec.isValidID(id) else { throw RuntimeError(.notFound, "container \"\(id)\" not found") }
        return ContainerBundle(directory: configuration.containersDirectory + "/" + id)
    }

    /// The CRI log file a spec's container writes to.
    public func logPath(for spec: ContainerSpec) -> String {
        PodLogPaths.logFile(root: configuration.podLogsDirectory, spec: spec)
    }

    // MARK: - Running

    /// Creates and starts a container, returning once its process runs (or has already ended).
    ///
    /// The pod's cgroup should exist first (`cgroups.ensurePod`), or the container runs without pod-level limits.
    /// - Parameter spec: what to run.
    /// - Returns: the container's status: running, or exited if it ended at once.
    /// - Throws: `RuntimeError.startFailed` when runc could not start the process; the container then stays,
    ///   exited with reason `StartError`, until `remove` (so the failure can be reported).
    @discardableResult
    public func run(_ spec: ContainerSpec) async throws -> ContainerStatus {
        try spec.validate()
        let bundle = try bundle(spec.id)
        try Self.makeDirectory(configuration.containersDirectory, mode: 0o700)
        guard mkdir(bundle.directory, 0o700) == 0 else {
            if errno == EEXIST { throw RuntimeError(.alreadyExists, "container \(spec.id) already exists") }
            throw RuntimeError.system("mkdir \(bundle.directory)")
        }
        do {
            try Self.encoder.encode(spec).write(to: URL(fileURLWithPath: bundle.specFile))
            try OCISpecBuilder.encode(builder.build(spec)).write(to: URL(fileURLWithPath: bundle.configFile))
            try ContainerShim.makeFifos(bundle)
            let logPath = logPath(for: spec)
            try Self.makeDirectory((logPath as NSString).deletingLastPathComponent, mode: 0o755)
            // The container's ends first: a pump that found a FIFO without writers would take it for end of file.
            let fifos = try ContainerShim.openForContainer(bundle)
            defer {
                PosixIO.closeQuietly(fifos.stdout)
                PosixIO.closeQuietly(fifos.stderr)
            }
            try startPump(spec.id, bundle: bundle, logPath: logPath)
            try await ContainerShim.launch(runc: runc, bundle: bundle, id: spec.id, fifos: fifos, tools: shimTools)
        } catch {
            await stopPump(spec.id)
            try? FileManager.default.removeItem(atPath: bundle.directory)
            throw error
        }
        let status = try await waitUntilStarted(spec.id)
        if status.reason == TerminationReason.startError {
            throw RuntimeError(.startFailed, "container \(spec.id): \(status.message ?? "runc failed")")
        }
        return status
    }

    private func waitUntilStarted(_ id: String) async throws -> ContainerStatus {
        let deadline = ContinuousClock.now + configuration.startTimeout
        var delay = Duration.milliseconds(5)
        while true {
            let current = try status(id)
            if current.state != .created { return current }
            guard ContinuousClock.now < deadline else {
                throw RuntimeError(.timeout, "container \(id) did not start within \(configuration.startTimeout)")
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(100))
        }
    }

    // MARK: - Observing

    /// The status of one container.
    /// - Throws: `RuntimeError.notFound` for an unknown id.
    public func status(_ id: String) throws -> ContainerStatus {
        let bundle = try bundle(id)
        guard PosixIO.exists(bundle.specFile) else { throw RuntimeError(.notFound, "container \(id) not found") }
        return try reader.status(bundle)
    }

    /// The spec a container was started with.
    public func spec(_ id: String) throws -> ContainerSpec {
        try reader.spec(try bundle(id))
    }

    /// Every container this runtime manages, oldest first (from the bundles, not from runc: a container runc has
    /// already forgotten still has a status to report until it is removed).
    public func list() throws -> [ContainerStatus] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: configuration.containersDirectory)) ?? []
        return names.compactMap { try? status($0) }.sorted { $0.createdAt < $1.createdAt }
    }

    /// Waits until a container has exited; `nil` when `timeout` passes first.
    public func waitForExit(_ id: String, timeout: Duration) async throws -> ContainerStatus? {
        let deadline = ContinuousClock.now + timeout
        var delay = Duration.milliseconds(5)
        while true {
            let current = try status(id)
            if current.state == .exited { return current }
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: min(delay, max(deadline - ContinuousClock.now, .milliseconds(1))))
            delay = min(delay * 2, .milliseconds(100))
        }
    }

    /// Picks up after a kubelet restart: resumes copying the output of containers still running into their
    /// logs, and deletes runc containers that have no bundle (left by a removal that was cut short).
    /// - Returns: every container, as `list()` reports them.
    @discardableResult
    public func recover() async throws -> [ContainerStatus] {
        let containers = try list()
        for container in containers where container.state != .exited {
            let already = pumps.withLock { $0[container.id] != nil }
            guard !already else { continue }
            // A pump that cannot start (another runtime instance still owns the log, or the bundle is damaged)
            // must not keep the other containers' logs from resuming.
            try? startPump(container.id, bundle: try bundle(container.id), logPath: container.logPath)
        }
        let known = Set(containers.map(\.id))
        for orphan in try await runc.list() where !known.contains(orphan.id) {
            try await runc.delete(orphan.id, force: true)
        }
        return containers
    }

    /// Stops copying logs, leaving every container running: what a kubelet does on its way out.
    public func shutdown() async {
        let all = pumps.withLock { pumps -> [LogPump] in
            defer { pumps = [:] }
            return Array(pumps.values)
        }
        for pump in all { await pump.stop() }
    }

    // MARK: - Stopping and removing

    /// Stops a container: its stop signal, up to `gracePeriod` to exit, then SIGKILL to every process in it
    /// (`terminationGracePeriodSeconds`).
    /// - Returns: the exited status.
    @discardableResult
    public func stop(_ id: String, gracePeriod: Duration) async throws -> ContainerStatus {
        let current = try status(id)
        guard current.state != .exited else { return current }
        let spec = try spec(id)
        if gracePeriod > .zero {
            try await runc.kill(id, signal: spec.stopSignal)
            if let exited = try await waitForExit(id, timeout: gracePeriod) { return exited }
        }
        // Repeated, for a container that runc was still creating when the first one went out.
        for _ in 0..<30 {
            try await runc.kill(id, signal: SIGKILL, all: true)
            if let exited = try await waitForExit(id, timeout: .seconds(1)) { return exited }
        }
        throw RuntimeError(.timeout, "container \(id) did not exit after SIGKILL")
    }

    /// Removes a container: kills it if it still runs, deletes its runc state and cgroup, its bundle and its log
    /// files. Removing an unknown id does nothing.
    /// - Parameter removeLogs: whether the container's log files go too (the kubelet keeps them while it may
    ///   still serve `kubectl logs --previous`).
    public func remove(_ id: String, removeLogs: Bool = true) async throws {
        guard let bundle = try? bundle(id) else { return }
        guard PosixIO.exists(bundle.directory) else { return }
        var logPath: String?
        if PosixIO.exists(bundle.specFile) {
            let current = try await stop(id, gracePeriod: .zero)
            logPath = current.logPath
        }
        try await runc.delete(id, force: true)
        await stopPump(id)
        if removeLogs, let logPath {
            for file in [logPath] + RotatingLogFile.rotatedFiles(of: logPath) { _ = unlink(file) }
            _ = rmdir((logPath as NSString).deletingLastPathComponent)  // only if no other restart's log is left
        }
        try FileManager.default.removeItem(atPath: bundle.directory)
    }

    /// Removes a pod's log directory (`/var/log/pods/<ns>_<pod>_<uid>`) once the pod is gone.
    public func removePodLogs(_ pod: PodIdentity) throws {
        let directory = PodLogPaths.podDirectory(root: configuration.podLogsDirectory, pod: pod)
        if PosixIO.exists(directory) { try FileManager.default.removeItem(atPath: directory) }
    }

    // MARK: - Log pumps

    private func startPump(_ id: String, bundle: ContainerBundle, logPath: String) throws {
        let pump = try LogPump(
            bundle: bundle, logPath: logPath, maxSize: configuration.logMaxSize, maxFiles: configuration.logMaxFiles)
        pumps.withLock { $0[id] = pump }
        pump.start(name: id)
    }

    private func stopPump(_ id: String) async {
        guard let pump = pumps.withLock({ $0.removeValue(forKey: id) }) else { return }
        await pump.stop()
    }

    // MARK: - Helpers

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func makeDirectory(_ path: String, mode: Int) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw RuntimeError(.system, "mkdir \(path): \(error.localizedDescription)")
        }
    }
}
