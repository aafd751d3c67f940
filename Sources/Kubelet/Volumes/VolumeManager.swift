import Foundation
import KubeAPI

/// Sets up and tears down a pod's volumes under `<kubelet root>/pods/<uid>/volumes/<plugin>/<name>` and tells the
/// runtime what to bind where. Secrets and projected volumes live on a tmpfs, as upstream keeps them off disk.
public struct VolumeManager: Sendable {
    public typealias Lookup = @Sendable (String, String) async -> JSONValue?
    /// Requests a service-account token: (namespace, serviceAccount, audience, expirationSeconds, podName, podUID).
    public typealias TokenSource = @Sendable (String, String, String, Int64, String, String) async throws -> String

    public var kubeletRoot: String
    public var configMap: Lookup
    public var secret: Lookup
    public var persistentVolumeClaim: Lookup
    public var persistentVolume: @Sendable (String) async -> JSONValue?
    public var token: TokenSource?
    /// Whether tmpfs mounts are made (tests without privileges turn this off).
    public var useTmpfs: Bool

    public init(kubeletRoot: String, configMap: @escaping Lookup, secret: @escaping Lookup,
                persistentVolumeClaim: @escaping Lookup, persistentVolume: @escaping @Sendable (String) async -> JSONValue?,
                token: TokenSource?, useTmpfs: Bool = true) {
        self.kubeletRoot = kubeletRoot; self.configMap = configMap; self.secret = secret
        self.persistentVolumeClaim = persistentVolumeClaim; self.persistentVolume = persistentVolume; self.token = token
        self.useTmpfs = useTmpfs
    }

    /// A bind mount for one container.
    public struct Mount: Sendable, Equatable {
        public var source: String
        public var destination: String
        public var readOnly: Bool
    }

    public func podDirectory(_ uid: String) -> String { kubeletRoot + "/pods/" + uid }

    /// Prepares every volume of the pod (idempotent: a second call refreshes ConfigMap/Secret contents); returns the
    /// host path of each volume by name.
    public func setUp(_ pod: JSONValue) async throws -> [String: String] {
        let uid = pod.metadata.uid ?? ""
        let namespace = pod.metadata.namespace ?? "default"
        var paths: [String: String] = [:]
        for volume in pod[path: ["spec", "volumes"]]?.array ?? [] {
            guard let name = volume["name"]?.string else { continue }
            let (plugin, source) = Self.plugin(of: volume)
            let directory = podDirectory(uid) + "/volumes/kubernetes.io~\(plugin)/\(name)"
            switch plugin {
            case "empty-dir":
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                if source["medium"]?.string == "Memory" { try mountTmpfs(directory, sizeLimit: source["sizeLimit"]?.string) }
                paths[name] = directory
            case "host-path":
                paths[name] = try hostPath(source)
            case "configmap", "secret", "downward-api", "projected":
                if plugin != "configmap" { try mountTmpfs(directory, sizeLimit: nil) }
                let files = try await projectedFiles(plugin: plugin, source: source, pod: pod, namespace: namespace)
                try AtomicDirectoryWriter.write(files, into: directory)
                paths[name] = directory
            case "pvc":
                paths[name] = try await claimPath(source, namespace: namespace)
            default:
                throw VolumeError("volume \"\(name)\": the \(plugin) volume type is not supported by this kubelet")
            }
        }
        return paths
    }

    /// The bind mounts of one container from its `volumeMounts` (with `subPath`).
    public static func mounts(for container: JSONValue, volumePaths: [String: String]) throws -> [Mount] {
        try (container["volumeMounts"]?.array ?? []).map { mount in
            let name = mount["name"]?.string ?? ""
            guard var source = volumePaths[name] else { throw VolumeError("volumeMount \"\(name)\" names no volume of the pod") }
            if let sub = mount["subPath"]?.string, !sub.isEmpty {
                guard !sub.hasPrefix("/"), !sub.split(separator: "/").contains("..") else {
                    throw VolumeError("subPath \"\(sub)\" must be relative and must not contain '..'")
                }
                source += "/" + sub
                if !FileManager.default.fileExists(atPath: source) {
                    try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
                }
            }
            return Mount(source: source, destination: mount["mountPath"]?.string ?? "", readOnly: mount["readOnly"]?.bool ?? false)
        }
    }

    /// Unmounts and removes everything under the pod's directory.
    public func tearDown(uid: String) throws {
        let root = podDirectory(uid)
        let volumes = root + "/volumes"
        for plugin in (try? FileManager.default.contentsOfDirectory(atPath: volumes)) ?? [] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: volumes + "/" + plugin)) ?? [] {
                let path = volumes + "/" + plugin + "/" + name
                while umount2(path, Int32(MNT_DETACH)) == 0 {}
            }
        }
        try? FileManager.default.removeItem(atPath: root)
        if FileManager.default.fileExists(atPath: root) { throw VolumeError("cannot remove \(root)") }
    }

    // MARK: - Plugins

    static let plugins: [(key: String, plugin: String)] = [
        ("emptyDir", "empty-dir"), ("hostPath", "host-path"), ("configMap", "configmap"), ("secret", "secret"),
        ("downwardAPI", "downward-api"), ("projected", "projected"), ("persistentVolumeClaim", "pvc"),
    ]

    static func plugin(of volume: JSONValue) -> (String, JSONValue) {
        for (key, plugin) in plugins { if let source = volume[key] { return (plugin, source) } }
        let other = volume.object?.keys.first { $0 != "name" } ?? "unknown"
        return (other, .null)
    }

    private func hostPath(_ source: JSONValue) throws -> String {
        let path = source["path"]?.string ?? ""
        let type = source["type"]?.string ?? ""
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        switch type {
        case "DirectoryOrCreate" where !exists:
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        case "FileOrCreate" where !exists:
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
        case "Directory" where !(exists && isDirectory.boolValue):
            throw VolumeError("hostPath type check failed: \(path) is not a directory")
        case "File" where !(exists && !isDirectory.boolValue):
            throw VolumeError("hostPath type check failed: \(path) is not a file")
        default:
            break
        }
        return path
    }

    private func claimPath(_ source: JSONValue, namespace: String) async throws -> String {
        let claim = source["claimName"]?.string ?? ""
        guard let pvc = await persistentVolumeClaim(namespace, claim) else {
            throw VolumeError("persistentvolumeclaim \"\(claim)\" not found")
        }
        guard let volumeName = pvc[path: ["spec", "volumeName"]]?.string, !volumeName.isEmpty,
              pvc[path: ["status", "phase"]]?.string == "Bound" else {
            throw VolumeError("persistentvolumeclaim \"\(claim)\" is not bound yet")
        }
        guard let pv = await persistentVolume(volumeName) else { throw VolumeError("persistentvolume \"\(volumeName)\" not found") }
        guard let path = pv[path: ["spec", "hostPath", "path"]]?.string ?? pv[path: ["spec", "local", "path"]]?.string else {
            throw VolumeError("persistentvolume \"\(volumeName)\" is neither hostPath nor local; only those are supported")
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func mountTmpfs(_ directory: String, sizeLimit: String?) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard useTmpfs, !Self.isMountPoint(directory) else { return }
        var options = "mode=0755"
        if let sizeLimit, let bytes = try? Quantity(parsing: sizeLimit).value { options += ",size=\(bytes)" }
        guard mount("tmpfs", directory, "tmpfs", 0, options) == 0 else {
            throw VolumeError("cannot mount a tmpfs on \(directory): \(String(cString: strerror(errno)))")
        }
    }

    static func isMountPoint(_ path: String) -> Bool {
        let mounts = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return mounts.split(separator: "\n").contains { $0.split(separator: " ").dropFirst(4).first.map(String.init) == path }
    }
}
