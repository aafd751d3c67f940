import Foundation
import Yams

/// Builds the control-plane static pod manifests (kubeadm.md section 5) for kubeadm-swift's bundled components.
///
/// Every container runs the `kubeadm-swift <component>` subcommand from the bundled image with upstream flag
/// names, so the manifests read like kubeadm's and operators can tune them with the same `extraArgs`.
public struct StaticPods: Sendable {
    public var settings: InitSettings
    /// Tells whether an optional CA directory exists on the host (kubeadm mounts those only when present).
    public var hostDirectoryExists: @Sendable (String) -> Bool

    public init(settings: InitSettings, hostDirectoryExists: @escaping @Sendable (String) -> Bool) {
        self.settings = settings
        self.hostDirectoryExists = hostDirectoryExists
    }

    /// A volume plus where it is mounted in the container.
    struct Mount {
        var name: String
        var hostPath: String
        var type: String
        var readOnly: Bool
    }

    public func manifest(_ component: ControlPlaneComponent) -> PodManifest {
        let pki = settings.certificatesDir
        let mounts: [Mount]
        let args: [Arg]
        let probe: (host: String?, port: Int, live: String, ready: String?)
        let cpu: String
        let extra: ExtraArgs?
        let extraVolumes: [HostPathMount]
        let extraEnvs: [EnvVar]
        switch component {
        case .apiServer:
            args = apiServerArgs()
            mounts = caMounts() + datastoreMounts()
            let host = settings.advertiseAddress.isUnspecified ? nil : settings.advertiseAddress.description
            probe = (host, settings.bindPort, "/livez", "/readyz")
            cpu = "250m"
            extra = settings.clusterConfiguration.apiServer?.extraArgs
            extraVolumes = settings.clusterConfiguration.apiServer?.extraVolumes ?? []
            extraEnvs = settings.clusterConfiguration.apiServer?.extraEnvs ?? []
        case .controllerManager:
            args = controllerManagerArgs(pki: pki)
            mounts = caMounts() + [
                Mount(name: "kubeconfig", hostPath: HostPaths().kubeconfig(.controllerManager), type: "FileOrCreate", readOnly: true),
                Mount(name: "flexvolume-dir", hostPath: "/usr/libexec/kubernetes/kubelet-plugins/volume/exec", type: "DirectoryOrCreate", readOnly: false),
            ]
            probe = ("127.0.0.1", WellKnown.controllerManagerPort, "/healthz", nil)
            cpu = "200m"
            extra = settings.clusterConfiguration.controllerManager?.extraArgs
            extraVolumes = settings.clusterConfiguration.controllerManager?.extraVolumes ?? []
            extraEnvs = settings.clusterConfiguration.controllerManager?.extraEnvs ?? []
        case .scheduler:
            let kubeconfig = HostPaths().kubeconfig(.scheduler)
            args = [Arg(name: "authentication-kubeconfig", value: kubeconfig), Arg(name: "authorization-kubeconfig", value: kubeconfig),
                    Arg(name: "bind-address", value: "127.0.0.1"), Arg(name: "kubeconfig", value: kubeconfig),
                    Arg(name: "leader-elect", value: "true")]
            mounts = [Mount(name: "kubeconfig", hostPath: kubeconfig, type: "FileOrCreate", readOnly: true)]
            probe = ("127.0.0.1", WellKnown.schedulerPort, "/livez", "/readyz")
            cpu = "100m"
            extra = settings.clusterConfiguration.scheduler?.extraArgs
            extraVolumes = settings.clusterConfiguration.scheduler?.extraVolumes ?? []
            extraEnvs = settings.clusterConfiguration.scheduler?.extraEnvs ?? []
        }

        let allMounts = (mounts + extraVolumes.map {
            Mount(name: $0.name, hostPath: $0.hostPath, type: $0.pathType ?? "", readOnly: $0.readOnly ?? false)
        }).sorted { $0.name < $1.name }
        let command = ["kubeadm-swift", component.rawValue] + Self.merge(args, extra).map { "--\($0.name)=\($0.value)" }

        let healthCheck = settings.timeouts.controlPlaneComponentHealthCheck?.seconds ?? WellKnown.Timeouts.controlPlaneComponentHealthCheck
        func httpProbe(_ path: String) -> PodManifest.HTTPGet {
            PodManifest.HTTPGet(host: probe.host, path: path, port: "probe-port", scheme: "HTTPS")
        }
        var annotations: [String: String]?
        if component == .apiServer {
            annotations = [WellKnown.apiServerEndpointAnnotation: InitSettings.hostPort(settings.advertiseAddress.description, settings.bindPort)]
        }
        let container = PodManifest.Container(
            command: command,
            env: extraEnvs.isEmpty ? nil : extraEnvs,
            image: WellKnown.bundledImage(repository: settings.imageRepository, version: settings.kubernetesVersion),
            imagePullPolicy: "IfNotPresent",
            livenessProbe: .init(failureThreshold: 8, httpGet: httpProbe(probe.live), initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15),
            name: component.rawValue,
            ports: [.init(containerPort: probe.port, name: "probe-port", protocol: "TCP")],
            readinessProbe: probe.ready.map { .init(failureThreshold: 3, httpGet: httpProbe($0), initialDelaySeconds: nil, periodSeconds: 1, timeoutSeconds: 15) },
            resources: .init(requests: ["cpu": cpu]),
            // kubeadm waits 10 s before the first startup probe and probes every 10 s; the bundled components answer
            // within a second, so that delay alone would set init's time to Ready. Same budget, probed every second.
            startupProbe: .init(failureThreshold: Int(healthCheck.rounded(.up)), httpGet: httpProbe(probe.live), initialDelaySeconds: nil, periodSeconds: 1, timeoutSeconds: 15),
            volumeMounts: allMounts.map { .init(mountPath: $0.hostPath, name: $0.name, readOnly: $0.readOnly ? true : nil) })
        return PodManifest(
            metadata: .init(annotations: annotations, labels: ["component": component.rawValue, "tier": "control-plane"],
                            name: component.rawValue, namespace: "kube-system"),
            spec: .init(containers: [container], hostNetwork: true, priority: 2_000_001_000,
                        priorityClassName: "system-node-critical", securityContext: .init(seccompProfile: .init(type: "RuntimeDefault")),
                        volumes: allMounts.map { .init(hostPath: .init(path: $0.hostPath, type: $0.type), name: $0.name) }))
    }

    public func yaml(_ component: ControlPlaneComponent) throws -> String {
        try YAMLEncoder().encode(manifest(component))
    }

    /// Defaults first, then `extraArgs`: an extra arg replaces every default of the same name (v1beta4 semantics);
    /// the result is sorted by name, as in kubeadm's manifests.
    static func merge(_ defaults: [Arg], _ extra: ExtraArgs?) -> [Arg] {
        let overridden = Set((extra?.args ?? []).map(\.name))
        let merged = defaults.filter { !overridden.contains($0.name) } + (extra?.args ?? [])
        return merged.enumerated().sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }.map(\.element)
    }

    func caMounts() -> [Mount] {
        var mounts = [
            Mount(name: "ca-certs", hostPath: "/etc/ssl/certs", type: "DirectoryOrCreate", readOnly: true),
            Mount(name: "k8s-certs", hostPath: settings.certificatesDir, type: "DirectoryOrCreate", readOnly: true),
        ]
        let optional = [("etc-ca-certificates", "/etc/ca-certificates"), ("etc-pki", "/etc/pki"),
                        ("usr-share-ca-certificates", "/usr/share/ca-certificates"),
                        ("usr-local-share-ca-certificates", "/usr/local/share/ca-certificates")]
        for (name, path) in optional where hostDirectoryExists(path) {
            mounts.append(Mount(name: name, hostPath: path, type: "DirectoryOrCreate", readOnly: true))
        }
        return mounts
    }

    func datastoreMounts() -> [Mount] {
        switch settings.datastore {
        case .embedded:
            [Mount(name: "datastore", hostPath: HostPaths().datastoreDir, type: "DirectoryOrCreate", readOnly: false)]
        case .localEtcd, .externalEtcd:
            []
        }
    }

    func apiServerArgs() -> [Arg] {
        let pki = settings.certificatesDir
        var args: [Arg] = [
            .init(name: "advertise-address", value: settings.advertiseAddress.description),
            .init(name: "allow-privileged", value: "true"),
            .init(name: "authorization-mode", value: "Node,RBAC"),
            .init(name: "client-ca-file", value: "\(pki)/ca.crt"),
            .init(name: "enable-admission-plugins", value: "NodeRestriction"),
            .init(name: "enable-bootstrap-token-auth", value: "true"),
            .init(name: "kubelet-client-certificate", value: "\(pki)/apiserver-kubelet-client.crt"),
            .init(name: "kubelet-client-key", value: "\(pki)/apiserver-kubelet-client.key"),
            .init(name: "kubelet-preferred-address-types", value: "InternalIP,ExternalIP,Hostname"),
            .init(name: "proxy-client-cert-file", value: "\(pki)/front-proxy-client.crt"),
            .init(name: "proxy-client-key-file", value: "\(pki)/front-proxy-client.key"),
            .init(name: "requestheader-allowed-names", value: "front-proxy-client"),
            .init(name: "requestheader-client-ca-file", value: "\(pki)/front-proxy-ca.crt"),
            .init(name: "requestheader-extra-headers-prefix", value: "X-Remote-Extra-"),
            .init(name: "requestheader-group-headers", value: "X-Remote-Group"),
            .init(name: "requestheader-username-headers", value: "X-Remote-User"),
            .init(name: "secure-port", value: "\(settings.bindPort)"),
            .init(name: "service-account-issuer", value: "https://kubernetes.default.svc.\(settings.dnsDomain)"),
            .init(name: "service-account-key-file", value: "\(pki)/sa.pub"),
            .init(name: "service-account-signing-key-file", value: "\(pki)/sa.key"),
            .init(name: "service-cluster-ip-range", value: settings.serviceSubnet.description),
            .init(name: "tls-cert-file", value: "\(pki)/apiserver.crt"),
            .init(name: "tls-private-key-file", value: "\(pki)/apiserver.key"),
        ]
        switch settings.datastore {
        case .embedded:
            args.append(.init(name: "storage-backend", value: "sqlite"))
            args.append(.init(name: "storage-dir", value: HostPaths().datastoreDir))
        case .localEtcd:
            let loopback = settings.advertiseAddress.isIPv4 ? "127.0.0.1" : "[::1]"
            args += [.init(name: "etcd-cafile", value: "\(pki)/etcd/ca.crt"),
                     .init(name: "etcd-certfile", value: "\(pki)/apiserver-etcd-client.crt"),
                     .init(name: "etcd-keyfile", value: "\(pki)/apiserver-etcd-client.key"),
                     .init(name: "etcd-servers", value: "https://\(loopback):\(WellKnown.etcdClientPort)")]
        case .externalEtcd(let endpoints, let caFile, let certFile, let keyFile):
            args.append(.init(name: "etcd-servers", value: endpoints.joined(separator: ",")))
            if let caFile { args.append(.init(name: "etcd-cafile", value: caFile)) }
            if let certFile { args.append(.init(name: "etcd-certfile", value: certFile)) }
            if let keyFile { args.append(.init(name: "etcd-keyfile", value: keyFile)) }
        }
        return args
    }

    func controllerManagerArgs(pki: String) -> [Arg] {
        let kubeconfig = HostPaths().kubeconfig(.controllerManager)
        var args: [Arg] = [
            .init(name: "authentication-kubeconfig", value: kubeconfig),
            .init(name: "authorization-kubeconfig", value: kubeconfig),
            .init(name: "bind-address", value: "127.0.0.1"),
            .init(name: "client-ca-file", value: "\(pki)/ca.crt"),
            .init(name: "cluster-name", value: settings.clusterName),
            .init(name: "cluster-signing-cert-file", value: "\(pki)/ca.crt"),
            .init(name: "cluster-signing-key-file", value: "\(pki)/ca.key"),
            .init(name: "controllers", value: "*,bootstrapsigner,tokencleaner"),
            .init(name: "kubeconfig", value: kubeconfig),
            .init(name: "leader-elect", value: "true"),
            .init(name: "requestheader-client-ca-file", value: "\(pki)/front-proxy-ca.crt"),
            .init(name: "root-ca-file", value: "\(pki)/ca.crt"),
            .init(name: "service-account-private-key-file", value: "\(pki)/sa.key"),
            .init(name: "use-service-account-credentials", value: "true"),
        ]
        if let podSubnet = settings.podSubnet {
            args += [.init(name: "allocate-node-cidrs", value: "true"), .init(name: "cluster-cidr", value: podSubnet.description),
                     .init(name: "service-cluster-ip-range", value: settings.serviceSubnet.description)]
        }
        return args
    }
}
