import Foundation

/// What the runtime needs from an image's configuration to build an OCI runtime spec
/// (the kubelet merges these with the container's `command`, `args`, `env` and `workingDir`).
public struct ImageConfig: Sendable, Equatable {
    public var entrypoint: [String]
    public var cmd: [String]
    /// `KEY=value` entries, in image order.
    public var env: [String]
    /// Empty means `/`.
    public var workingDir: String
    /// `uid`, `uid:gid`, `name` or `name:group`; empty means root.
    public var user: String
    /// `80/tcp`-style keys of `ExposedPorts`, sorted.
    public var exposedPorts: [String]
    public var labels: [String: String]
    public var stopSignal: String?
    public var architecture: String
    public var os: String

    public init(entrypoint: [String] = [], cmd: [String] = [], env: [String] = [], workingDir: String = "", user: String = "",
                exposedPorts: [String] = [], labels: [String: String] = [:], stopSignal: String? = nil,
                architecture: String = "", os: String = "linux") {
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.env = env
        self.workingDir = workingDir
        self.user = user
        self.exposedPorts = exposedPorts
        self.labels = labels
        self.stopSignal = stopSignal
        self.architecture = architecture
        self.os = os
    }

    init(_ file: OCIImageConfigFile) {
        let defaults = file.config
        self.init(entrypoint: defaults?.entrypoint ?? [], cmd: defaults?.cmd ?? [], env: defaults?.env ?? [],
                  workingDir: defaults?.workingDir ?? "", user: defaults?.user ?? "",
                  exposedPorts: (defaults?.exposedPorts ?? [:]).keys.sorted(), labels: defaults?.labels ?? [:],
                  stopSignal: defaults?.stopSignal, architecture: file.architecture ?? "", os: file.os ?? "linux")
    }
}

/// An image present in the store: its configuration and its unpacked layers, bottom layer first.
public struct Image: Sendable, Equatable {
    /// The reference it was resolved by (normalized).
    public var reference: ImageReference
    /// The manifest digest (what `crictl images --digests` shows as DIGEST).
    public var digest: Digest
    /// The configuration digest: the image ID (`crictl images` IMAGE ID).
    public var id: Digest
    public var config: ImageConfig
    /// Uncompressed layer digests, bottom first (the config's `rootfs.diff_ids`).
    public var diffIDs: [Digest]
    /// Unpacked layer directories, bottom first; overlayfs wants them top first as `lowerdir`.
    public var layerDirectories: [String]
    /// Manifest-declared size: config plus layer blobs, as `crictl images` reports it.
    public var size: Int64
    /// The config's `created` time, if it has one.
    public var created: Date?
}

/// One row of `images list`.
public struct ImageSummary: Sendable, Equatable {
    public var reference: ImageReference
    public var digest: Digest
    public var id: Digest
    public var size: Int64
    public var created: Date?
}
