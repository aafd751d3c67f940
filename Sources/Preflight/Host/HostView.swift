/// Everything a preflight check reads from the machine.
///
/// Checks never touch the system directly: `LiveHost` reads the real machine, tests pass a fake. Keeping this
/// surface small is what makes every check testable without root, real ports or a particular kernel.
public protocol HostView: Sendable {
    /// The effective user id of this process (0 means root).
    var effectiveUserID: UInt32 { get }
    /// Processors this process may run on.
    var cpuCount: Int { get }
    /// Total RAM in MB, computed as kubeadm does (`Totalram * Unit / 1024 / 1024`).
    var memoryTotalMB: Int { get }
    /// The kernel release, as `uname -r` prints it (e.g. `6.1.0-18-amd64`).
    var kernelRelease: String { get }
    /// The machine's host name, as `hostname` prints it.
    var hostname: String { get }

    /// The whole content of a file, or nil if it cannot be read.
    /// - Parameter path: an absolute path.
    func readFile(_ path: String) -> String?
    /// Whether anything (file, directory, link target) exists at `path`.
    /// - Parameter path: an absolute path.
    func fileExists(_ path: String) -> Bool
    /// The names in a directory (without "." and ".."), or nil if `path` is absent or not a directory.
    /// - Parameter path: an absolute path.
    func directoryEntries(_ path: String) -> [String]?
    /// The full path of an executable found on `PATH` (falling back to the usual system directories), or nil.
    /// - Parameter binary: a bare executable name such as `iptables`.
    func lookPath(_ binary: String) -> String?
    /// Whether a TCP listener could be opened on `port` on every local address, as Go's `net.Listen(":port")`.
    /// - Parameter port: the TCP port.
    func isPortFree(_ port: Int) -> Bool
    /// Whether `hostname` resolves to at least one address.
    /// - Parameter hostname: the name to resolve.
    func resolves(_ hostname: String) -> Bool
}
