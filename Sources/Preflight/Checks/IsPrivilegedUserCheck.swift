/// Fails unless the process runs as root, because nearly every later step writes under `/etc`, `/var/lib`
/// and `/proc/sys`. The runner runs it first and alone so a non-root user gets one clear error.
public struct IsPrivilegedUserCheck: PreflightCheck {
    public let name = "IsPrivilegedUser"

    public init() {}

    public func run(on host: any HostView) -> [Finding] {
        guard host.effectiveUserID != 0 else { return [] }
        return [error("user is not running as root; run kubeadm-swift as root (e.g. with sudo)")]
    }
}
