// The JSON documents of the OCI image spec and of `docker save` archives, as far as the store reads them.
// Unknown fields are ignored on decode; the store keeps the original bytes of manifests and configs as blobs,
// so nothing is lost by decoding only part of them.

/// A content descriptor (`mediaType`, `digest`, `size`), as found in indexes and manifests.
struct OCIDescriptor: Codable, Sendable, Equatable {
    var mediaType: String?
    var digest: String
    var size: Int64
    var annotations: [String: String]?
    var platform: OCIPlatform?
}

struct OCIPlatform: Codable, Sendable, Equatable {
    var architecture: String
    var os: String
    var variant: String?
}

/// `index.json` of an OCI layout, or an image index / Docker manifest list blob.
struct OCIIndex: Codable, Sendable {
    var schemaVersion: Int?
    var mediaType: String?
    var manifests: [OCIDescriptor]
}

/// An image manifest (OCI or Docker schema 2; the fields read are the same).
struct OCIManifest: Codable, Sendable {
    var schemaVersion: Int
    var mediaType: String?
    var config: OCIDescriptor
    var layers: [OCIDescriptor]
}

/// The image configuration blob (`application/vnd.oci.image.config.v1+json`, Docker's `<id>.json`).
struct OCIImageConfigFile: Codable, Sendable {
    var architecture: String?
    var os: String?
    var created: String?
    var config: ContainerDefaults?
    var rootfs: RootFS
    var history: [History]?

    struct RootFS: Codable, Sendable {
        var type: String
        var diffIDs: [String]
        enum CodingKeys: String, CodingKey {
            case type
            case diffIDs = "diff_ids"
        }
    }

    struct History: Codable, Sendable {
        var created: String?
        var createdBy: String?
        var emptyLayer: Bool?
        enum CodingKeys: String, CodingKey {
            case created
            case createdBy = "created_by"
            case emptyLayer = "empty_layer"
        }
    }

    /// Docker's capitalised field names, which the OCI spec kept.
    struct ContainerDefaults: Codable, Sendable {
        var user: String?
        var env: [String]?
        var entrypoint: [String]?
        var cmd: [String]?
        var workingDir: String?
        var exposedPorts: [String: EmptyObject]?
        var volumes: [String: EmptyObject]?
        var labels: [String: String]?
        var stopSignal: String?
        enum CodingKeys: String, CodingKey {
            case user = "User", env = "Env", entrypoint = "Entrypoint", cmd = "Cmd", workingDir = "WorkingDir"
            case exposedPorts = "ExposedPorts", volumes = "Volumes", labels = "Labels", stopSignal = "StopSignal"
        }
    }

    /// The `{}` values of `ExposedPorts` and `Volumes`.
    struct EmptyObject: Codable, Sendable, Equatable {}
}

/// One entry of a `docker save` archive's `manifest.json`.
struct DockerArchiveEntry: Codable, Sendable {
    var config: String
    var repoTags: [String]?
    var layers: [String]
    enum CodingKeys: String, CodingKey {
        case config = "Config", repoTags = "RepoTags", layers = "Layers"
    }
}

/// Media types the store recognises, as a table.
enum MediaType {
    static let ociIndex = "application/vnd.oci.image.index.v1+json"
    static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    static let ociConfig = "application/vnd.oci.image.config.v1+json"
    static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    static let indexes: Set<String> = [ociIndex, dockerManifestList]
    static let manifests: Set<String> = [ociManifest, dockerManifest]
}

/// Annotation keys that carry an image's name in an OCI layout's `index.json`.
enum Annotation {
    /// containerd, nerdctl and Docker 25+ write the full reference here.
    static let containerdName = "io.containerd.image.name"
    /// The OCI key: a full reference (skopeo, buildah) or only a tag (Docker 25+).
    static let refName = "org.opencontainers.image.ref.name"
}
