import Manifests

/// The checks each workflow runs, declared as tables and filtered by the input rather than built by branches.
///
/// Each set starts with `IsPrivilegedUserCheck`; `PreflightRunner` runs it before the rest.
/// CRI, KubeletVersion, ImagePull, HTTPProxy, Firewalld and Service-Kubelet are left out on purpose:
/// kubeadm-swift bundles its own runtime and kubelet and supervises them itself.
public enum CheckSets {
    /// When a table entry applies.
    enum Scope {
        /// Always.
        case always
        /// Root and node-level checks: skipped in init's second pass for `join --control-plane`, because the
        /// join pass already ran them on this node.
        case nodePass
        /// Only with a local etcd.
        case localEtcd
        /// Only when joining as a worker (a control plane joiner downloads or already has the CA).
        case workerJoin

        func applies(to input: PreflightInput) -> Bool {
            switch self {
            case .always: true
            case .nodePass: !input.isControlPlaneJoin
            case .localEtcd: input.localEtcd
            case .workerJoin: !input.isControlPlaneJoin
            }
        }
    }

    /// Checks for `init`, in kubeadm's order. With `input.isControlPlaneJoin` this is the second pass that
    /// `join --control-plane` runs after discovery: only the control-plane checks (CPU, memory, component ports,
    /// manifests, local etcd), because the join pass already ran the root and node checks.
    /// - Parameter input: ports, paths and mode.
    public static func initChecks(_ input: PreflightInput) -> [any PreflightCheck] {
        let table: [(Scope, [any PreflightCheck])] = [
            (.nodePass, [IsPrivilegedUserCheck()]),
            (.always, [NumCPUCheck(min: 2), MemCheck(minMB: 1700)]),
            (.nodePass, [SystemVerificationCheck()]),
            (.always, [input.apiServerBindPort, input.schedulerPort, input.controllerManagerPort].map {
                PortOpenCheck(port: $0)
            }),
            (.always, ["kube-apiserver", "kube-controller-manager", "kube-scheduler"].map {
                FileAvailableCheck(path: input.manifest($0))
            }),
            (.localEtcd, [FileAvailableCheck(path: input.manifest("etcd"))]),
            (.nodePass, kernelNetworkingChecks() + [SwapCheck()] + toolChecks(input)),
            (.nodePass, [HostnameCheck(nodeName: input.nodeName), PortOpenCheck(port: input.kubeletPort)]),
            (.localEtcd, [
                PortOpenCheck(port: WellKnown.etcdClientPort), PortOpenCheck(port: WellKnown.etcdPeerPort), DirAvailableCheck(path: input.etcdDataDir),
            ]),
        ]
        return select(table, for: input)
    }

    /// Checks for `join` (before discovery), in kubeadm's order.
    /// - Parameter input: ports, paths and mode.
    public static func joinChecks(_ input: PreflightInput) -> [any PreflightCheck] {
        let table: [(Scope, [any PreflightCheck])] = [
            (.always, [IsPrivilegedUserCheck()]),
            (.always, [DirAvailableCheck(path: input.manifestsDir)]),
            (.always, [
                FileAvailableCheck(path: input.kubeletConfPath),
                FileAvailableCheck(path: input.bootstrapKubeletConfPath),
            ]),
            (.always, [SwapCheck()] + toolChecks(input) + [SystemVerificationCheck()]),
            (.always, [HostnameCheck(nodeName: input.nodeName), PortOpenCheck(port: input.kubeletPort)]),
            (.workerJoin, [FileAvailableCheck(path: input.caCertPath)]),
            (.always, kernelNetworkingChecks()),
        ]
        return select(table, for: input)
    }

    /// Checks for `reset`: only root, because reset must work on a half-broken node.
    public static func resetChecks() -> [any PreflightCheck] {
        [IsPrivilegedUserCheck()]
    }

    /// Forwarding and bridge-netfilter switches pod networking depends on.
    static func kernelNetworkingChecks() -> [any PreflightCheck] {
        [FileContentCheck.ipv4Forwarding, FileContentCheck.bridgeNFCallIPTables]
    }

    /// Host tools on `PATH`, then the CNI plugin binaries.
    static func toolChecks(_ input: PreflightInput) -> [any PreflightCheck] {
        let cniHint = "install the CNI plugins: 'apt-get install \(InstallHints.cniPluginsPackage)'"
        let cniDir = input.cniBinDir.hasSuffix("/") ? input.cniBinDir : input.cniBinDir + "/"
        return input.requiredBinaries.map { InPathCheck(binary: $0, mandatory: true) }
            + input.optionalBinaries.map { InPathCheck(binary: $0, mandatory: false) }
            + input.cniPlugins.map { FileExistingCheck(path: cniDir + $0, hint: cniHint) }
    }

    static func select(_ table: [(Scope, [any PreflightCheck])], for input: PreflightInput) -> [any PreflightCheck] {
        table.filter { $0.0.applies(to: input) }.flatMap(\.1)
    }
}
