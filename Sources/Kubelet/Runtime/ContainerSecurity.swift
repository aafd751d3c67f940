/// The `securityContext` settings the runtime enforces, already merged from the pod and the container.
public struct ContainerSecurity: Codable, Sendable, Hashable {
    /// `privileged`: every capability the kubelet itself holds, every host device, writable /sys, no masked paths.
    public var privileged: Bool
    /// `capabilities.add`, Kubernetes spelling (`NET_ADMIN`, or `ALL`).
    public var capabilitiesAdd: [String]
    /// `capabilities.drop`, Kubernetes spelling (`ALL` drops the default set before `add` applies).
    public var capabilitiesDrop: [String]
    /// `readOnlyRootFilesystem`.
    public var readOnlyRootFilesystem: Bool
    /// `allowPrivilegeEscalation`; only an explicit `false` sets `no_new_privs` (kubelet's `AddNoNewPrivileges`).
    public var allowPrivilegeEscalation: Bool?
    /// `securityContext.sysctls` of the pod (namespaced sysctls only; validation is the API server's job).
    public var sysctls: [String: String]

    /// Creates security settings; the defaults are an unprivileged container with the default capability set.
    public init(
        privileged: Bool = false, capabilitiesAdd: [String] = [], capabilitiesDrop: [String] = [],
        readOnlyRootFilesystem: Bool = false, allowPrivilegeEscalation: Bool? = nil, sysctls: [String: String] = [:]
    ) {
        self.privileged = privileged
        self.capabilitiesAdd = capabilitiesAdd
        self.capabilitiesDrop = capabilitiesDrop
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
        self.sysctls = sysctls
    }

    /// Whether the process gets `no_new_privs`: only when escalation is explicitly disallowed and the container
    /// is not privileged (the API server rejects that combination; a privileged container wins here).
    public var noNewPrivileges: Bool { !privileged && allowPrivilegeEscalation == false }
}
