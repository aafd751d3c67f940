import Foundation
import Manifests

#if canImport(Glibc)
    import Glibc
#endif

/// The image the bundled control-plane components run from (DESIGN.md, "Control-plane images"): the installed
/// kubeadm-swift binary at /usr/local/bin/kubeadm-swift plus its shared-library closure, so static pods go through
/// the same runc + overlayfs path as every other pod, without a registry.
extension ImageStore {
    /// The label recording which binary an image was built from; a different binary (an upgrade) rebuilds it.
    public static let binaryDigestLabel = "io.kubeadm-swift.binary-digest"
    public static let bundledBinaryPath = "/usr/local/bin/kubeadm-swift"

    /// Makes sure `reference` (the bundled image name) holds an image built from `executable`, building it when
    /// missing or built from another binary. Cheap when up to date: one SHA-256 pass over the binary.
    @discardableResult
    public func ensureBundledImage(executable: String = "/proc/self/exe",
                                   reference: String = WellKnown.bundledImage()) throws -> Image {
        let name = try ImageReference(parsing: reference)
        guard let tagged = name.tagged else { throw ImageStoreError.invalidReference(reference, reason: "the bundled image needs a tag") }
        let binary = FileTree.canonical(executable)
        guard FileTree.kind(binary) == .regular else {
            throw ImageStoreError.bundledImage("\(executable) is not a file; pass the path of the kubeadm-swift binary")
        }
        let (binaryDigest, _) = try SHA256Stream.of(file: binary)
        return try exclusive {
            if let digest = try readReferences()[tagged], let image = try? loadImage(tagged, manifestDigest: digest),
               image.config.labels[ImageStore.binaryDigestLabel] == binaryDigest.description,
               image.diffIDs.allSatisfy({ FileTree.kind(layerPath($0)) == .directory }) {
                return image
            }
            return try buildBundledImage(binary: binary, binaryDigest: binaryDigest, reference: tagged)
        }
    }

    private func buildBundledImage(binary: String, binaryDigest: Digest, reference: ImageReference) throws -> Image {
        let staging = try makeStagingDirectory("bundled")
        defer { try? FileTree.remove(staging) }
        do {
            let rootfs = staging + "/rootfs"
            try BundledRootfs.build(binary: binary, at: rootfs)
            let (diffID, tarSize) = try BundledRootfs.diffID(of: rootfs)
            if FileTree.kind(layerPath(diffID)) == nil {
                try commitLayer(diffID) { layer in
                    // Move the finished tree's contents into the staging layer directory (same filesystem: renames).
                    for entry in entries(rootfs) {
                        guard rename(rootfs + "/" + entry, layer + "/" + entry) == 0 else {
                            throw ImageStoreError.io("cannot move \(entry) into the bundled layer: \(String(cString: strerror(errno)))")
                        }
                    }
                }
            }
            let created = BundledRootfs.modificationTime(binary)
            let config = OCIImageConfigFile(
                architecture: ArchiveContents.hostArchitecture, os: "linux", created: ImageStore.formatTime(created),
                config: .init(user: nil, env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                              entrypoint: [ImageStore.bundledBinaryPath], cmd: nil, workingDir: "/", exposedPorts: nil,
                              volumes: nil,
                              labels: [ImageStore.binaryDigestLabel: binaryDigest.description,
                                       "org.opencontainers.image.version": WellKnown.toolVersion,
                                       "org.opencontainers.image.title": "kubeadm-swift bundled control plane"],
                              stopSignal: nil),
                rootfs: .init(type: "layers", diffIDs: [diffID.description]),
                history: [.init(created: ImageStore.formatTime(created), createdBy: "kubeadm-swift: \(binary) and its shared libraries",
                                emptyLayer: nil)])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let configBytes = try encoder.encode(config)
            let configDigest = try SHA256Stream.of(bytes: configBytes)
            let manifest = OCIManifest(
                schemaVersion: 2, mediaType: MediaType.ociManifest,
                config: OCIDescriptor(mediaType: MediaType.ociConfig, digest: configDigest.description, size: Int64(configBytes.count)),
                layers: [OCIDescriptor(mediaType: MediaType.ociLayer, digest: diffID.description, size: tarSize)])
            let manifestBytes = try encoder.encode(manifest)
            let manifestDigest = try SHA256Stream.of(bytes: manifestBytes)
            try writeBlob(configBytes, digest: configDigest)
            try writeBlob(manifestBytes, digest: manifestDigest)
            var references = try readReferences()
            references[reference] = manifestDigest
            try writeReferences(references)
            try collectGarbage()
            return try loadImage(reference, manifestDigest: manifestDigest)
        } catch {
            try? collectGarbage()
            throw error
        }
    }
}

/// The bundled image's one layer: a minimal root filesystem around the binary.
enum BundledRootfs {
    /// Directories every container root needs as mount points, and /tmp for the component's scratch files.
    static let directories: [(String, mode_t)] = [
        ("proc", 0o555), ("sys", 0o555), ("dev", 0o755), ("etc", 0o755), ("tmp", 0o1777), ("run", 0o755),
        ("var", 0o755), ("var/lib", 0o755), ("root", 0o700), ("usr/local/bin", 0o755),
    ]

    /// Minimal name-service files so getpwuid/getaddrinfo work (the kubelet bind-mounts its own hosts and resolv.conf).
    static let files: [(String, String)] = [
        ("etc/passwd", "root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"),
        ("etc/group", "root:x:0:\nnogroup:x:65534:\n"),
        ("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n"),
        ("etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"),
    ]

    static func build(binary: String, at rootfs: String) throws {
        try FileTree.makeDirectory(rootfs)
        _ = chmod(rootfs, 0o755)
        for (directory, mode) in directories {
            try FileTree.makeDirectory(rootfs + "/" + directory)
            _ = chmod(rootfs + "/" + directory, mode)
        }
        for (path, contents) in files {
            try AtomicFile.replace(Array(contents.utf8), at: URL(fileURLWithPath: rootfs + "/" + path), mode: 0o644)
        }
        try ImageTools.check("cp", ["--", binary, rootfs + ImageStore.bundledBinaryPath])
        _ = chmod(rootfs + ImageStore.bundledBinaryPath, 0o755)
        var seen: Set<String> = []
        for library in try SharedLibraries.closure(of: binary) {
            try SharedLibraries.replicate(library, into: rootfs, seen: &seen)
        }
    }

    /// The layer's diff ID: the SHA-256 of a reproducible tar of the tree (sorted names, zero mtimes, root owner),
    /// so the same binary and libraries always give the same layer, and its size.
    static func diffID(of rootfs: String) throws -> (Digest, Int64) {
        let stream = try SHA256Stream()
        try ImageTools.stream("tar", ["-c", "-f", "-", "--sort=name", "--numeric-owner", "--owner=0", "--group=0", "--mtime=@0",
                                      "--format=posix", "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime",
                                      "-C", rootfs, "."]) { stream.update($0) }
        return (try stream.finish(), stream.byteCount)
    }

    static func modificationTime(_ path: String) -> Date {
        var info = stat()
        guard stat(path, &info) == 0 else { return Date(timeIntervalSince1970: 0) }
        return Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
    }
}
