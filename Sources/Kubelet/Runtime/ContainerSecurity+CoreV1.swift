import KubeAPI

extension ContainerSecurity {
    /// The runtime's security settings from a pod's and a container's `securityContext` (the container's fields
    /// are container-only; sysctls are pod-only).
    /// - Parameters:
    ///   - pod: `spec.securityContext`.
    ///   - container: the container's `securityContext`.
    public init(pod: CoreV1.PodSecurityContext?, container: CoreV1.SecurityContext?) {
        var sysctls: [String: String] = [:]
        for sysctl in pod?.sysctls ?? [] {
            if let name = sysctl.name { sysctls[name] = sysctl.value ?? "" }
        }
        self.init(
            privileged: container?.privileged ?? false,
            capabilitiesAdd: container?.capabilities?.add ?? [],
            capabilitiesDrop: container?.capabilities?.drop ?? [],
            readOnlyRootFilesystem: container?.readOnlyRootFilesystem ?? false,
            allowPrivilegeEscalation: container?.allowPrivilegeEscalation,
            sysctls: sysctls)
    }
}

extension ProcessUser {
    /// Resolves the user of a container from its pod's and its own `securityContext` (the container's
    /// `runAsUser`/`runAsGroup` win; `supplementalGroups` and `fsGroup` come from the pod) and the image's `User`.
    /// - Parameters:
    ///   - imageUser: the image config's `User`.
    ///   - pod: `spec.securityContext`.
    ///   - container: the container's `securityContext`.
    ///   - rootfs: the container's root filesystem.
    public static func resolve(
        imageUser: String?, pod: CoreV1.PodSecurityContext?, container: CoreV1.SecurityContext?, rootfs: String
    ) throws -> ProcessUser {
        let supplemental = (pod?.supplementalGroups ?? []) + (pod?.fsGroup.map { [$0] } ?? [])
        return try resolve(
            imageUser: imageUser, runAsUser: container?.runAsUser ?? pod?.runAsUser,
            runAsGroup: container?.runAsGroup ?? pod?.runAsGroup, supplementalGroups: supplemental, rootfs: rootfs)
    }
}
