/// The subset of the OCI runtime spec (1.0) the kubelet writes as a bundle's config.json.
///
/// Optional fields are left out of the JSON when `nil`, so the file shows only what we decided.
struct OCISpec: Codable, Sendable, Equatable {
    var ociVersion = "1.0.2"
    var process: Process
    var root: Root
    var hostname: String?
    var mounts: [Mount]
    var annotations: [String: String]?
    var linux: Linux

    struct Process: Codable, Sendable, Equatable {
        var terminal: Bool?
        var user: User
        var args: [String]
        var env: [String]
        var cwd: String
        var capabilities: Capabilities?
        var noNewPrivileges: Bool?
        var oomScoreAdj: Int?
    }

    struct User: Codable, Sendable, Equatable {
        var uid: UInt32
        var gid: UInt32
        var additionalGids: [UInt32]?
    }

    /// The inheritable and ambient sets stay empty (the fix for CVE-2022-24769 in Docker and containerd).
    struct Capabilities: Codable, Sendable, Equatable {
        var bounding: [String]
        var effective: [String]
        var permitted: [String]
    }

    struct Root: Codable, Sendable, Equatable {
        var path: String
        var readonly: Bool?
    }

    struct Mount: Codable, Sendable, Equatable {
        var destination: String
        var type: String?
        var source: String?
        var options: [String]?
    }

    struct Linux: Codable, Sendable, Equatable {
        var namespaces: [Namespace]
        var resources: Resources?
        var cgroupsPath: String?
        var devices: [Device]?
        var sysctl: [String: String]?
        var maskedPaths: [String]?
        var readonlyPaths: [String]?
        var rootfsPropagation: String?
    }

    struct Namespace: Codable, Sendable, Equatable {
        var type: String
        var path: String?
    }

    struct Resources: Codable, Sendable, Equatable {
        var devices: [DeviceRule]?
        var memory: Memory?
        var cpu: CPU?
        var pids: Pids?
    }

    struct DeviceRule: Codable, Sendable, Equatable {
        var allow: Bool
        var type: String?
        var major: Int64?
        var minor: Int64?
        var access: String?
    }

    struct Memory: Codable, Sendable, Equatable {
        var limit: Int64?
        var swap: Int64?
    }

    struct CPU: Codable, Sendable, Equatable {
        var shares: UInt64?
        var quota: Int64?
        var period: UInt64?
    }

    struct Pids: Codable, Sendable, Equatable {
        var limit: Int64
    }

    struct Device: Codable, Sendable, Equatable {
        var path: String
        var type: String
        var major: Int64
        var minor: Int64
        var fileMode: UInt32?
        var uid: UInt32?
        var gid: UInt32?
    }
}
