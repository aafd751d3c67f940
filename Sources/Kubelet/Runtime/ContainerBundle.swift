/// The files of one container under `<stateDirectory>/containers/<id>`: what the kubelet wrote and what the shim
/// leaves behind. Everything a restarted kubelet needs to know about a container is here (or in runc's state).
struct ContainerBundle: Sendable, Hashable {
    /// The bundle directory, runc's `--bundle`.
    let directory: String

    /// The OCI runtime config runc reads.
    var configFile: String { directory + "/config.json" }
    /// The `ContainerSpec` the kubelet asked for.
    var specFile: String { directory + "/spec.json" }
    /// The container process's host pid, written by runc once the process exists; its mtime is the start time.
    var pidFile: String { directory + "/pid" }
    /// The exit code, written by the shim when `runc run` returns; its mtime is the finish time.
    var exitFile: String { directory + "/exit" }
    /// The shim's own pid, to tell "still running" from "the shim died without recording an exit".
    var shimPidFile: String { directory + "/shim.pid" }
    /// The final status, written once the container has exited (before its cgroup, and the OOM count with it, goes).
    var statusFile: String { directory + "/status.json" }
    /// runc's own log (JSON lines): the reason when it fails to start the container.
    var runcLogFile: String { directory + "/runc.log" }
    /// The FIFO the container's stdout goes to.
    var stdoutFifo: String { directory + "/stdout" }
    /// The FIFO the container's stderr goes to.
    var stderrFifo: String { directory + "/stderr" }
    /// Held (`flock`) by the one log pump copying this container's output.
    var logLockFile: String { directory + "/log.lock" }
}

/// Where container logs live: `/var/log/pods/<namespace>_<pod>_<uid>/<container>/<restartCount>.log`.
public enum PodLogPaths {
    /// The pod's log directory.
    /// - Parameters:
    ///   - root: the pod logs root (`/var/log/pods`).
    ///   - pod: the pod.
    public static func podDirectory(root: String, pod: PodIdentity) -> String {
        "\(root)/\(pod.namespace)_\(pod.name)_\(pod.uid)"
    }

    /// A container's live log file.
    /// - Parameters:
    ///   - root: the pod logs root (`/var/log/pods`).
    ///   - pod: the pod.
    ///   - container: the container's name.
    ///   - restartCount: the container's restart count.
    public static func logFile(root: String, pod: PodIdentity, container: String, restartCount: Int) -> String {
        "\(podDirectory(root: root, pod: pod))/\(container)/\(restartCount).log"
    }

    /// The live log file of a container spec: its own `logPath`, or the standard one.
    static func logFile(root: String, spec: ContainerSpec) -> String {
        spec.logPath ?? logFile(root: root, pod: spec.pod, container: spec.name, restartCount: spec.restartCount)
    }
}
