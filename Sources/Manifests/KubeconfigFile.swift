/// The kubeconfig files kubeadm writes into /etc/kubernetes, as a table (kubeadm.md section 4).
public enum KubeconfigFile: String, CaseIterable, Sendable {
    case admin = "admin.conf"
    case superAdmin = "super-admin.conf"
    case kubelet = "kubelet.conf"
    case controllerManager = "controller-manager.conf"
    case scheduler = "scheduler.conf"

    public var fileName: String { rawValue }

    /// The `init phase kubeconfig <sub>` name.
    public var phaseName: String {
        switch self {
        case .admin: "admin"
        case .superAdmin: "super-admin"
        case .kubelet: "kubelet"
        case .controllerManager: "controller-manager"
        case .scheduler: "scheduler"
        }
    }

    /// Whether `certs renew` and `certs check-expiration` handle this file (the kubelet rotates its own).
    public var isRenewable: Bool { self != .kubelet }

    /// Which API server address the file points at: components on this node talk to the local API server,
    /// users and the kubelet to the control-plane endpoint.
    public enum ServerKind: Sendable { case controlPlaneEndpoint, localEndpoint }

    public var serverKind: ServerKind {
        switch self {
        case .admin, .superAdmin, .kubelet: .controlPlaneEndpoint
        case .controllerManager, .scheduler: .localEndpoint
        }
    }

    /// The client certificate subject: CN and organizations.
    public func clientIdentity(nodeName: String) -> (commonName: String, organizations: [String]) {
        switch self {
        case .admin: ("kubernetes-admin", [WellKnown.clusterAdminsGroup])
        case .superAdmin: ("kubernetes-super-admin", [WellKnown.mastersGroup])
        case .kubelet: ("system:node:\(nodeName)", [WellKnown.nodesGroup])
        case .controllerManager: ("system:kube-controller-manager", [])
        case .scheduler: ("system:kube-scheduler", [])
        }
    }
}
