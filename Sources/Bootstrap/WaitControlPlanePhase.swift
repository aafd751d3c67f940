import Foundation
import Kubelet
import Manifests

/// `wait-control-plane`: the kubelet's healthz first, then every control-plane component's health endpoint, in
/// parallel, each with kubeadm's "is healthy after" line. On a timeout it prints the failing component's last log
/// lines and where to look, instead of kubeadm's generic crictl advice.
enum WaitControlPlanePhase {
    /// One endpoint to wait for: the component, its URL parts, and where its log is.
    struct Check: Sendable {
        var component: String
        var scheme: String
        var host: String
        var port: Int
        var path: String
        var url: String { "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)\(path)" }
    }

    static func controlPlaneChecks(_ s: InitSettings) -> [Check] {
        [
            Check(component: "kube-apiserver", scheme: "https", host: s.advertiseAddress.description, port: s.bindPort, path: "/livez"),
            Check(component: "kube-controller-manager", scheme: "https", host: "127.0.0.1", port: WellKnown.controllerManagerPort, path: "/healthz"),
            Check(component: "kube-scheduler", scheme: "https", host: "127.0.0.1", port: WellKnown.schedulerPort, path: "/livez"),
        ]
    }

    @Sendable static func run(_ data: InitData) async throws {
        let s = data.settings
        if data.isDryRun {
            data.say("[dryrun] Would wait for the kubelet and the control plane to become healthy")
            return
        }
        data.say("[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory \"\(data.realPaths.manifestsDir)\"")
        let kubelet = Check(component: "kubelet", scheme: "http", host: "127.0.0.1", port: WellKnown.kubeletHealthzPort, path: "/healthz")
        let kubeletTimeout = s.timeouts.kubeletHealthCheck?.seconds ?? WellKnown.Timeouts.kubeletHealthCheck
        data.say("[kubelet-check] Waiting for a healthy kubelet at \(kubelet.url). This can take up to \(GoDuration(seconds: kubeletTimeout))")
        let kubeletResult = await waitHealthy(kubelet, timeout: kubeletTimeout)
        guard let elapsed = kubeletResult.elapsed else {
            throw WaitError(component: "kubelet", url: kubelet.url, timeout: kubeletTimeout, lastError: kubeletResult.lastError,
                            logLines: HostKubelet(paths: data.writePaths).logTail(),
                            hint: "the kubelet log is \(HostKubelet(paths: data.realPaths).logFile); `kubeadm-swift kubelet --config \(data.realPaths.kubeletConfigFile)` runs it in the foreground")
        }
        data.say("[kubelet-check] The kubelet is healthy after \(format(elapsed))")
        let timeout = s.timeouts.controlPlaneComponentHealthCheck?.seconds ?? WellKnown.Timeouts.controlPlaneComponentHealthCheck
        data.say("[control-plane-check] Waiting for healthy control plane components. This can take up to \(GoDuration(seconds: timeout))")
        let checks = controlPlaneChecks(s)
        for check in checks { data.say("[control-plane-check] Checking \(check.component) at \(check.url)") }
        let failure: WaitError? = await withTaskGroup(of: WaitError?.self) { group in
            for check in checks {
                group.addTask {
                    let result = await waitHealthy(check, timeout: timeout)
                    if let elapsed = result.elapsed {
                        data.say("[control-plane-check] \(check.component) is healthy after \(format(elapsed))")
                        return nil
                    }
                    data.say("[control-plane-check] \(check.component) is not healthy after \(format(timeout))")
                    let log = ContainerLogs.latest(podLogsDir: data.writePaths.podLogsDir, component: check.component)
                    return WaitError(component: check.component, url: check.url, timeout: timeout, lastError: result.lastError,
                                     logLines: log.lines,
                                     hint: log.path.map { "its container log is \($0); the kubelet's is \(HostKubelet(paths: data.realPaths).logFile)" }
                                        ?? "no container log exists for it: check that the kubelet started its static pod (\(HostKubelet(paths: data.realPaths).logFile))")
                }
            }
            var first: WaitError?
            for await result in group where first == nil { first = result }
            return first
        }
        if let failure { throw failure }
    }

    /// Polls until the endpoint answers 2xx/3xx; the elapsed seconds, or nil and the last error on timeout.
    static func waitHealthy(_ check: Check, timeout: Double) async -> (elapsed: Double?, lastError: String?) {
        let start = ContinuousClock.now
        var lastError: String?
        while true {
            let result = await HealthEndpoint.check(scheme: check.scheme, host: check.host, port: check.port, path: check.path)
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            switch result {
            case .success: return (seconds, nil)
            case .failure(let reason): lastError = reason
            }
            if seconds >= timeout { return (nil, lastError) }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds < 1 ? String(format: "%.0fms", seconds * 1000) : String(format: "%.3fs", seconds)
    }
}

/// The newest container log of a control-plane static pod, found by the CRI log layout.
enum ContainerLogs {
    static func latest(podLogsDir: String, component: String, lines: Int = 15) -> (path: String?, lines: [String]) {
        let fm = FileManager.default
        let pods = ((try? fm.contentsOfDirectory(atPath: podLogsDir)) ?? []).filter { $0.hasPrefix("kube-system_\(component)-") }
        var newest: (path: String, date: Date)?
        for pod in pods {
            let directory = "\(podLogsDir)/\(pod)/\(component)"
            for file in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] where file.hasSuffix(".log") {
                let path = "\(directory)/\(file)"
                let date = (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
                if date >= (newest?.date ?? .distantPast) { newest = (path, date) }
            }
        }
        guard let newest, let text = try? String(contentsOfFile: newest.path, encoding: .utf8) else { return (nil, []) }
        return (newest.path, Array(text.split(separator: "\n").suffix(lines).map(String.init)))
    }
}

/// A component that did not become healthy in time, with what it last said.
struct WaitError: Error, CustomStringConvertible {
    var component: String
    var url: String
    var timeout: Double
    var lastError: String?
    var logLines: [String]
    var hint: String

    var description: String {
        var text = "\(component) is not healthy after \(GoDuration(seconds: timeout)): \(url) last answered: \(lastError ?? "nothing")"
        if !logLines.isEmpty {
            text += "\nIts last log lines:\n" + logLines.map { "\t\($0)" }.joined(separator: "\n")
        }
        text += "\nWhere to look: \(hint)"
        return text
    }
}
