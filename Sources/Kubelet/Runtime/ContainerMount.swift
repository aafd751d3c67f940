/// A mount the kubelet asks for: a volume or host path bound in, or a tmpfs.
public struct ContainerMount: Codable, Sendable, Hashable {
    /// What is mounted.
    public enum Kind: String, Codable, Sendable, Hashable {
        /// A recursive bind mount of `source` (volumes, hostPath, /etc/hosts, service account tokens).
        case bind
        /// A fresh tmpfs (`emptyDir.medium: Memory` when the kubelet does not prepare it on the host).
        case tmpfs
    }

    /// `volumeMounts[].mountPropagation`, spelled as the OCI mount option it becomes.
    public enum Propagation: String, Codable, Sendable, Hashable {
        /// `None`: nothing propagates either way.
        case none = "rprivate"
        /// `HostToContainer`: host mounts below the source appear in the container.
        case hostToContainer = "rslave"
        /// `Bidirectional`: mounts propagate both ways (privileged containers only, e.g. CSI drivers).
        case bidirectional = "rshared"
    }

    /// The path inside the container.
    public var destination: String
    /// What is mounted.
    public var kind: Kind
    /// The host path for `.bind`; ignored for `.tmpfs`.
    public var source: String
    /// Whether the mount is read-only.
    public var readOnly: Bool
    /// How mounts propagate across this mount.
    public var propagation: Propagation
    /// Extra mount options (`size=64m` for a tmpfs).
    public var options: [String]

    /// Creates a mount.
    /// - Parameters:
    ///   - destination: the path inside the container.
    ///   - kind: bind or tmpfs.
    ///   - source: the host path for a bind mount.
    ///   - readOnly: whether the mount is read-only.
    ///   - propagation: mount propagation.
    ///   - options: extra options.
    public init(
        destination: String, kind: Kind = .bind, source: String = "", readOnly: Bool = false,
        propagation: Propagation = .none, options: [String] = []
    ) {
        self.destination = destination
        self.kind = kind
        self.source = source
        self.readOnly = readOnly
        self.propagation = propagation
        self.options = options
    }

    /// A bind mount of a host path.
    public static func bind(_ source: String, at destination: String, readOnly: Bool = false) -> ContainerMount {
        ContainerMount(destination: destination, kind: .bind, source: source, readOnly: readOnly)
    }

    /// A tmpfs, optionally capped at `sizeBytes`.
    public static func tmpfs(at destination: String, sizeBytes: Int64? = nil) -> ContainerMount {
        ContainerMount(destination: destination, kind: .tmpfs, options: sizeBytes.map { ["size=\($0)"] } ?? [])
    }
}
