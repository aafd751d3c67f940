import KubeAPI

/// One `CNI_ARGS` entry (`KEY=VALUE`).
public struct CNIArgument: Sendable, Hashable {
    /// The name, e.g. `K8S_POD_NAME`.
    public var key: String
    /// The value; must not contain `;`.
    public var value: String

    /// One `KEY=VALUE` entry.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// What one attachment of a container to a network is called with, as libcni's `RuntimeConf`: the values that
/// become `CNI_*` environment variables, plus the capability arguments injected as `runtimeConfig`.
public struct CNIRuntimeConf: Sendable, Equatable {
    /// `CNI_CONTAINERID`; the pod UID here, since the pod's namespace is its sandbox.
    public var containerID: String
    /// `CNI_NETNS`; empty on DEL when the namespace is already gone (plugins then only release what they can).
    public var netns: String
    /// `CNI_IFNAME`, the interface name inside the pod.
    public var ifName: String
    /// `CNI_ARGS`, in order.
    public var args: [CNIArgument]
    /// Capability arguments (`portMappings`, ...); a plugin receives those it lists in `capabilities`.
    public var capabilityArgs: JSONObject

    /// - Parameters:
    ///   - containerID: `CNI_CONTAINERID`.
    ///   - netns: `CNI_NETNS`.
    ///   - ifName: `CNI_IFNAME`.
    ///   - args: `CNI_ARGS` entries.
    ///   - capabilityArgs: capability arguments for `runtimeConfig`.
    public init(containerID: String, netns: String, ifName: String, args: [CNIArgument], capabilityArgs: JSONObject) {
        self.containerID = containerID
        self.netns = netns
        self.ifName = ifName
        self.args = args
        self.capabilityArgs = capabilityArgs
    }

    /// Arguments without capability arguments (loopback, DEL of an uncached attachment).
    public init(containerID: String, netns: String, ifName: String, args: [CNIArgument] = []) {
        self.init(containerID: containerID, netns: netns, ifName: ifName, args: args, capabilityArgs: JSONObject())
    }

    /// The `CNI_ARGS` value: `KEY=VALUE` pairs joined by `;`.
    public var argsString: String { args.map { "\($0.key)=\($0.value)" }.joined(separator: ";") }

    /// The search path plugins get when the kubelet has none (the sbin directories hold iptables).
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The kubelet's `CNI_ARGS` for a pod, in the kubelet's order. `IgnoreUnknown=1` tells plugins that do not
    /// know the `K8S_*` keys to ignore them rather than fail.
    /// - Parameters:
    ///   - namespace: the pod's namespace.
    ///   - name: the pod's name.
    ///   - infraContainerID: the sandbox ID (`CNI_CONTAINERID`).
    ///   - podUID: the pod's UID.
    public static func kubernetesArgs(namespace: String, name: String, infraContainerID: String, podUID: String) -> [CNIArgument] {
        [
            CNIArgument("IgnoreUnknown", "1"),
            CNIArgument("K8S_POD_NAMESPACE", namespace),
            CNIArgument("K8S_POD_NAME", name),
            CNIArgument("K8S_POD_INFRA_CONTAINER_ID", infraContainerID),
            CNIArgument("K8S_POD_UID", podUID),
        ]
    }

    /// The pod UID from `K8S_POD_UID`, falling back to the container ID (they are the same for our pods).
    public var podUID: String { args.last { $0.key == "K8S_POD_UID" }?.value ?? containerID }

    /// The plugin's environment: ours with every inherited `CNI_*` replaced, so a kubelet started from a shell
    /// with stray CNI variables cannot confuse a plugin (libcni's `AsEnv` + `dedupEnv`).
    /// - Parameters:
    ///   - command: `ADD`, `DEL` or `CHECK`.
    ///   - pluginDirectories: `CNI_PATH`, where delegated plugins (IPAM) are found.
    ///   - inherited: the kubelet's own environment.
    func environment(command: String, pluginDirectories: [String], inherited: [String: String]) -> [String: String] {
        var environment = inherited.filter { !$0.key.hasPrefix("CNI_") }
        // Plugins find iptables and ip through PATH; a daemon started with an empty environment still needs them.
        if (environment["PATH"] ?? "").isEmpty { environment["PATH"] = Self.defaultPath }
        environment["CNI_COMMAND"] = command
        environment["CNI_CONTAINERID"] = containerID
        environment["CNI_NETNS"] = netns
        environment["CNI_ARGS"] = argsString
        environment["CNI_IFNAME"] = ifName
        environment["CNI_PATH"] = pluginDirectories.joined(separator: ":")
        return environment
    }
}
