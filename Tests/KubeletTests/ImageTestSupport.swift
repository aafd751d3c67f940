import Foundation
import Testing
@testable import Kubelet

#if canImport(Glibc)
    import Glibc
#endif

/// Shared pieces of the image-store tests: temporary stores that are always cleaned up (mounts included),
/// and archives assembled in-test from small layer trees, in both OCI-layout and `docker save` form.
enum ImageTests {
    static let isRoot = getuid() == 0
    static let rootReason: Comment = "needs root: layers are unpacked with their owners, whiteouts are device nodes, rootfs are overlay mounts"
    static let hasBusybox = FileManager.default.isExecutableFile(atPath: "/bin/busybox")
    static let busyboxReason: Comment = "needs /bin/busybox (apt-get install -y busybox-static; scripts/install-deps.sh installs it)"

    /// Runs `body` with a fresh store under a temporary directory, then unmounts everything below it and
    /// deletes it, whether `body` succeeded or not.
    static func withStore<T>(_ body: (ImageStore, String) throws -> T) throws -> T {
        let directory = try makeTemporaryDirectory()
        defer { cleanUp(directory) }
        return try body(ImageStore(root: directory + "/store"), directory)
    }

    static func makeTemporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/kubeadm-swift-images-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ImageStoreError.io("mkdtemp failed") }
        return String(cString: made)
    }

    /// Unmounts (deepest first) every mount under `directory`, then removes it.
    static func cleanUp(_ directory: String) {
        let prefix = FileTree.canonical(directory) + "/"
        let table = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        let mounts = table.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            let path = FileTree.unescapeMountPath(String(fields[4]))
            return path.hasPrefix(prefix) ? path : nil
        }
        for mount in mounts.sorted(by: { $0.count > $1.count }) { _ = umount2(mount, Int32(MNT_DETACH)) }
        _ = try? run("rm", ["-rf", "--one-file-system", "--", directory])
    }

    /// Mount points under `directory` (to check that nothing is left mounted).
    static func mounts(under directory: String) -> [String] {
        let prefix = FileTree.canonical(directory) + "/"
        let table = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return table.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { return nil }
            let path = FileTree.unescapeMountPath(String(fields[4]))
            return path.hasPrefix(prefix) ? path : nil
        }
    }

    /// Runs a tool and returns its exit status and combined output.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], in directory: String? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}

/// One layer as a list of entries, turned into a tar by GNU tar (whiteout markers are plain empty files named
/// `.wh.*`, exactly as image builders write them).
struct TestLayer {
    enum Entry {
        case directory(String)
        case file(String, String)
        case symlink(String, target: String)
        case hostFile(String, from: String)
    }

    var entries: [Entry]
    var gzip = false

    static let busybox = TestLayer(entries: [
        .directory("bin"), .directory("etc"), .directory("tmp"), .directory("proc"), .directory("sys"), .directory("dev"),
        .hostFile("bin/busybox", from: "/bin/busybox"),
        .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
    ] + ["sh", "echo", "cat", "ls", "test", "touch", "rm"].map { .symlink("bin/" + $0, target: "busybox") }, gzip: true)

    /// Tar bytes (uncompressed) of the layer, built in `work`.
    func tar(in work: String) throws -> Data {
        let tree = work + "/tree-" + UUID().uuidString
        defer { _ = try? ImageTests.run("rm", ["-rf", tree]) }
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        for entry in entries {
            switch entry {
            case let .directory(path):
                try FileManager.default.createDirectory(atPath: tree + "/" + path, withIntermediateDirectories: true)
            case let .file(path, contents):
                try ImageTests.write(contents, to: tree + "/" + path)
            case let .symlink(path, target):
                try FileManager.default.createSymbolicLink(atPath: tree + "/" + path, withDestinationPath: target)
            case let .hostFile(path, source):
                try FileManager.default.copyItem(atPath: source, toPath: tree + "/" + path)
            }
        }
        let file = work + "/layer-" + UUID().uuidString + ".tar"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try ImageTests.run("tar", ["-c", "-f", file, "--sort=name", "--numeric-owner", "--owner=0", "--group=0",
                                                "--mtime=@0", "-C", tree, "."])
        guard result.status == 0 else { throw ImageStoreError.io("tar failed: \(result.output)") }
        return try Data(contentsOf: URL(fileURLWithPath: file))
    }

    /// The blob as stored in an archive (gzip-compressed when `gzip`) and the uncompressed tar.
    func blob(in work: String) throws -> (blob: Data, tar: Data) {
        let tar = try tar(in: work)
        guard gzip else { return (tar, tar) }
        let file = work + "/gz-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: file); try? FileManager.default.removeItem(atPath: file + ".gz") }
        try tar.write(to: URL(fileURLWithPath: file))
        _ = try ImageTests.run("gzip", ["-n", file])
        return (try Data(contentsOf: URL(fileURLWithPath: file + ".gz")), tar)
    }
}

struct TestImage {
    var names: [String]
    var layers: [TestLayer]
    var cmd: [String] = ["sh"]
    var env: [String] = ["PATH=/bin"]
    var workingDir = "/"
    var exposedPorts: [String] = []
}

/// Writes archives in the two formats `importArchive` accepts. `tamper` runs on the unpacked layout just before
/// it is tarred, so tests can corrupt one file and check that the import is refused.
struct ArchiveBuilder {
    let work: String

    static func sha(_ data: Data) throws -> String { try SHA256Stream.of(bytes: data).description }

    static func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    private func config(_ image: TestImage, diffIDs: [String]) throws -> Data {
        try ArchiveBuilder.json([
            "architecture": ArchiveContents.hostArchitecture, "os": "linux", "created": "2026-01-02T03:04:05.123456789Z",
            "config": ["Cmd": image.cmd, "Env": image.env, "WorkingDir": image.workingDir, "Entrypoint": NSNull(),
                       "ExposedPorts": Dictionary(uniqueKeysWithValues: image.exposedPorts.map { ($0, [String: Any]()) })],
            "rootfs": ["type": "layers", "diff_ids": diffIDs],
        ])
    }

    /// An OCI image layout tar; `annotate` chooses the name annotations of each image's index entry.
    func oci(_ path: String, _ images: [TestImage], annotate: (String) -> [String: String] = { [Annotation.refName: $0] },
             tamper: (String) throws -> Void = { _ in }) throws {
        let layout = work + "/oci-" + UUID().uuidString
        defer { _ = try? ImageTests.run("rm", ["-rf", layout]) }
        try FileManager.default.createDirectory(atPath: layout + "/blobs/sha256", withIntermediateDirectories: true)
        func put(_ data: Data) throws -> String {
            let digest = try ArchiveBuilder.sha(data)
            try data.write(to: URL(fileURLWithPath: layout + "/blobs/sha256/" + digest.dropFirst(7)))
            return digest
        }
        var entries: [[String: Any]] = []
        for image in images {
            var layerDescriptors: [[String: Any]] = []
            var diffIDs: [String] = []
            for layer in image.layers {
                let (blob, tar) = try layer.blob(in: work)
                layerDescriptors.append(["mediaType": MediaType.ociLayer + (layer.gzip ? "+gzip" : ""), "digest": try put(blob),
                                         "size": blob.count])
                diffIDs.append(try ArchiveBuilder.sha(tar))
            }
            let configBytes = try config(image, diffIDs: diffIDs)
            let manifest = try ArchiveBuilder.json([
                "schemaVersion": 2, "mediaType": MediaType.ociManifest,
                "config": ["mediaType": MediaType.ociConfig, "digest": try put(configBytes), "size": configBytes.count],
                "layers": layerDescriptors,
            ])
            let digest = try put(manifest)
            for name in image.names.isEmpty ? [nil] : image.names.map(Optional.some) {
                var entry: [String: Any] = ["mediaType": MediaType.ociManifest, "digest": digest, "size": manifest.count]
                if let name { entry["annotations"] = annotate(name) }
                entries.append(entry)
            }
        }
        try ArchiveBuilder.json(["schemaVersion": 2, "mediaType": MediaType.ociIndex, "manifests": entries])
            .write(to: URL(fileURLWithPath: layout + "/index.json"))
        try Data(#"{"imageLayoutVersion": "1.0.0"}"#.utf8).write(to: URL(fileURLWithPath: layout + "/oci-layout"))
        try tamper(layout)
        try tarUp(layout, to: path)
    }

    /// A `docker save` (pre-25) tar: manifest.json, `<config hex>.json`, `<id>/layer.tar`.
    func docker(_ path: String, _ images: [TestImage], tamper: (String) throws -> Void = { _ in }) throws {
        let layout = work + "/docker-" + UUID().uuidString
        defer { _ = try? ImageTests.run("rm", ["-rf", layout]) }
        try FileManager.default.createDirectory(atPath: layout, withIntermediateDirectories: true)
        var manifest: [[String: Any]] = []
        for image in images {
            var layerPaths: [String] = []
            var diffIDs: [String] = []
            for layer in image.layers {
                let tar = try layer.tar(in: work)
                let diffID = try ArchiveBuilder.sha(tar)
                let directory = String(diffID.dropFirst(7))
                try FileManager.default.createDirectory(atPath: layout + "/" + directory, withIntermediateDirectories: true)
                try tar.write(to: URL(fileURLWithPath: layout + "/" + directory + "/layer.tar"))
                layerPaths.append(directory + "/layer.tar")
                diffIDs.append(diffID)
            }
            let configBytes = try config(image, diffIDs: diffIDs)
            let configName = String(try ArchiveBuilder.sha(configBytes).dropFirst(7)) + ".json"
            try configBytes.write(to: URL(fileURLWithPath: layout + "/" + configName))
            manifest.append(["Config": configName, "RepoTags": image.names, "Layers": layerPaths])
        }
        try ArchiveBuilder.json(manifest).write(to: URL(fileURLWithPath: layout + "/manifest.json"))
        try tamper(layout)
        try tarUp(layout, to: path)
    }

    private func tarUp(_ directory: String, to path: String) throws {
        let result = try ImageTests.run("tar", ["-c", "-f", path, "-C", directory, "."])
        guard result.status == 0 else { throw ImageStoreError.io("tar failed: \(result.output)") }
    }
}
