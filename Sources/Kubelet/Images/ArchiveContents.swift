import Foundation

/// An image found in an unpacked archive, with every digest it claims, before anything is written to the store.
struct PendingImage {
    var names: [ImageReference]
    var manifest: Data
    var manifestDigest: Digest
    var configBytes: Data
    var configDigest: Digest
    var config: OCIImageConfigFile
    /// Bottom first.
    var layers: [PendingLayer]
}

struct PendingLayer {
    /// The layer file inside the unpacked archive.
    var file: String
    /// How the archive names it, for messages (`blobs/sha256/ab12...`, `3f2a.../layer.tar`).
    var label: String
    /// The digest the archive claims for the file as stored, when it claims one.
    var blobDigest: Digest?
    /// The uncompressed digest from the image config's `rootfs.diff_ids`.
    var diffID: Digest
}

/// Reads an unpacked archive (an OCI image layout or a `docker save` directory) into `PendingImage`s,
/// checking the digest of every JSON document against the name the archive gives it.
struct ArchiveContents {
    /// The archive as the user named it, for messages.
    let archive: String
    /// Where its tar was unpacked.
    let directory: String

    func images() throws -> [PendingImage] {
        let hasIndex = FileTree.kind(directory + "/index.json") == .regular
        let hasDockerManifest = FileTree.kind(directory + "/manifest.json") == .regular
        guard hasIndex || hasDockerManifest else {
            throw ImageStoreError.notAnArchive(archive, reason: "it has neither index.json (OCI image layout) nor manifest.json "
                + "('docker save') at its top level")
        }
        return hasIndex ? try ociImages(dockerTags: hasDockerManifest ? try dockerRepoTags() : [:]) : try dockerImages()
    }

    // MARK: OCI image layout

    /// Images of an OCI layout. `dockerTags` (config digest -> RepoTags) names images in Docker 25+ archives,
    /// which carry both formats but put only the tag into `org.opencontainers.image.ref.name`.
    private func ociImages(dockerTags: [Digest: [String]]) throws -> [PendingImage] {
        let index = try decode(OCIIndex.self, at: "index.json")
        var byManifest: [Digest: PendingImage] = [:]
        var order: [Digest] = []
        for descriptor in index.manifests {
            for (digest, bytes) in try manifests(under: descriptor, depth: 0) {
                var image = try byManifest[digest] ?? pending(manifestBytes: bytes, digest: digest)
                let found = try names(of: descriptor, configDigest: image.configDigest, dockerTags: dockerTags)
                image.names += found.filter { !image.names.contains($0) }
                if byManifest[digest] == nil { order.append(digest) }
                byManifest[digest] = image
            }
        }
        return try order.compactMap { digest in
            guard let image = byManifest[digest] else { return nil }
            guard !image.names.isEmpty else { throw ImageStoreError.unnamedImage(archive: archive, digest: digest.description) }
            return image
        }
    }

    private func names(of descriptor: OCIDescriptor, configDigest: Digest, dockerTags: [Digest: [String]]) throws -> [ImageReference] {
        let annotations = descriptor.annotations ?? [:]
        if let name = annotations[Annotation.containerdName] { return [try ImageReference(parsing: name)] }
        if let tags = dockerTags[configDigest], !tags.isEmpty { return try tags.map(ImageReference.init(parsing:)) }
        if let name = annotations[Annotation.refName] { return [try ImageReference(parsing: name)] }
        return []
    }

    /// The image manifests a descriptor leads to: itself, or for an index the entry for this machine's platform.
    private func manifests(under descriptor: OCIDescriptor, depth: Int) throws -> [(Digest, Data)] {
        guard depth < 4 else { throw malformed("image indexes are nested more than 4 deep") }
        let digest = try Digest(parsing: descriptor.digest)
        let bytes = try verifiedBlob(digest, what: "manifest \(digest)")
        if try isIndex(descriptor, bytes) {
            let nested = try JSONDecoder().decode(OCIIndex.self, from: bytes)
            let candidates = nested.manifests.filter { $0.platform.map(ArchiveContents.matchesHost) ?? true }
            guard let chosen = candidates.first else {
                let offered = nested.manifests.compactMap { $0.platform.map { "\($0.os)/\($0.architecture)" } }
                throw ImageStoreError.malformedArchive(archive, reason: "image index \(digest) has no image for "
                    + "linux/\(ArchiveContents.hostArchitecture) (it has \(offered.joined(separator: ", "))); "
                    + "save the image for this platform (docker save --platform linux/\(ArchiveContents.hostArchitecture) ...)")
            }
            return try manifests(under: chosen, depth: depth + 1)
        }
        return [(digest, bytes)]
    }

    private func isIndex(_ descriptor: OCIDescriptor, _ bytes: Data) throws -> Bool {
        if let type = descriptor.mediaType, MediaType.indexes.contains(type) { return true }
        if let type = descriptor.mediaType, MediaType.manifests.contains(type) { return false }
        let object = try JSONSerialization.jsonObject(with: bytes) as? [String: Any]
        return object?["manifests"] != nil
    }

    private func pending(manifestBytes: Data, digest: Digest) throws -> PendingImage {
        let manifest: OCIManifest
        do {
            manifest = try JSONDecoder().decode(OCIManifest.self, from: manifestBytes)
        } catch {
            throw malformed("manifest \(digest) is not an image manifest: \(error)")
        }
        let configDigest = try Digest(parsing: manifest.config.digest)
        let configBytes = try verifiedBlob(configDigest, what: "image config \(configDigest)")
        let config = try decodeConfig(configBytes, digest: configDigest)
        guard config.rootfs.diffIDs.count == manifest.layers.count else {
            throw malformed("manifest \(digest) lists \(manifest.layers.count) layers but its config has "
                + "\(config.rootfs.diffIDs.count) diff_ids")
        }
        var layers: [PendingLayer] = []
        for (descriptor, diffID) in zip(manifest.layers, config.rootfs.diffIDs) {
            let blob = try Digest(parsing: descriptor.digest)
            let file = try inside("blobs/sha256/" + blob.hex, what: "layer \(blob)")
            layers.append(PendingLayer(file: file, label: "blobs/sha256/" + blob.hex, blobDigest: blob, diffID: try Digest(parsing: diffID)))
        }
        return PendingImage(names: [], manifest: manifestBytes, manifestDigest: digest, configBytes: configBytes,
                            configDigest: configDigest, config: config, layers: layers)
    }

    // MARK: docker save

    private func dockerEntries() throws -> [DockerArchiveEntry] {
        try decode([DockerArchiveEntry].self, at: "manifest.json")
    }

    private func dockerRepoTags() throws -> [Digest: [String]] {
        var tags: [Digest: [String]] = [:]
        for entry in try dockerEntries() {
            let (digest, _) = try SHA256Stream.of(file: try inside(entry.config, what: "config \(entry.config)"))
            tags[digest, default: []] += entry.repoTags ?? []
        }
        return tags
    }

    private func dockerImages() throws -> [PendingImage] {
        try dockerEntries().map { entry in
            let configFile = try inside(entry.config, what: "config \(entry.config)")
            guard let configBytes = FileManager.default.contents(atPath: configFile) else { throw malformed("cannot read \(entry.config)") }
            let configDigest = try SHA256Stream.of(bytes: configBytes)
            if let claimed = ArchiveContents.digestInName(entry.config), claimed != configDigest {
                throw ImageStoreError.digestMismatch(archive: archive, what: entry.config, expected: claimed.description,
                                                     actual: configDigest.description)
            }
            let config = try decodeConfig(configBytes, digest: configDigest)
            guard config.rootfs.diffIDs.count == entry.layers.count else {
                throw malformed("\(entry.config) has \(config.rootfs.diffIDs.count) diff_ids but manifest.json lists "
                    + "\(entry.layers.count) layers")
            }
            var layers: [PendingLayer] = []
            var descriptors: [OCIDescriptor] = []
            for (path, diffIDText) in zip(entry.layers, config.rootfs.diffIDs) {
                let file = try inside(path, what: "layer \(path)")
                let diffID = try Digest(parsing: diffIDText)
                let size = FileTree.size(file)
                // Docker saves layers uncompressed, so the file's digest is the diff ID (checked when unpacking);
                // a compressed one is hashed here because the synthesized manifest must name it.
                let compression = try LayerUnpacker.Compression.detect(file)
                let claimed = ArchiveContents.digestInName(path)
                let blob = try claimed ?? (compression == .none ? diffID : SHA256Stream.of(file: file).digest)
                layers.append(PendingLayer(file: file, label: path, blobDigest: claimed, diffID: diffID))
                descriptors.append(OCIDescriptor(mediaType: MediaType.ociLayer + compression.mediaTypeSuffix, digest: blob.description, size: size))
            }
            let manifest = OCIManifest(schemaVersion: 2, mediaType: MediaType.ociManifest,
                                       config: OCIDescriptor(mediaType: MediaType.ociConfig, digest: configDigest.description,
                                                             size: Int64(configBytes.count)),
                                       layers: descriptors)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let manifestBytes = try encoder.encode(manifest)
            let names = try (entry.repoTags ?? []).map(ImageReference.init(parsing:))
            guard !names.isEmpty else { throw ImageStoreError.unnamedImage(archive: archive, digest: configDigest.description) }
            return PendingImage(names: names, manifest: manifestBytes, manifestDigest: try SHA256Stream.of(bytes: manifestBytes),
                                configBytes: configBytes, configDigest: configDigest, config: config, layers: layers)
        }
    }

    /// `<hex>.json`, `<hex>/layer.tar` or `blobs/sha256/<hex>`: the digest a docker archive path claims.
    static func digestInName(_ path: String) -> Digest? {
        let parts = path.split(separator: "/").map(String.init)
        if parts.count == 3, parts[0] == "blobs", parts[1] == "sha256" { return try? Digest(hex: parts[2]) }
        if parts.count == 1, parts[0].hasSuffix(".json") { return try? Digest(hex: String(parts[0].dropLast(5))) }
        return nil
    }

    // MARK: Helpers

    /// The path of `relative` inside the archive, refusing anything that leaves it (`..`, absolute paths,
    /// symlinks pointing outside) so that a hostile archive cannot make the store read host files.
    private func inside(_ relative: String, what: String) throws -> String {
        guard !relative.hasPrefix("/"), !relative.split(separator: "/").contains("..") else {
            throw malformed("\(what) has a path outside the archive: \(relative)")
        }
        let path = directory + "/" + relative
        guard FileTree.kind(path) != nil else { throw malformed("\(what) is missing (expected \(relative) in the archive)") }
        let resolved = FileTree.canonical(path)
        let base = FileTree.canonical(directory)
        guard resolved.hasPrefix(base + "/"), FileTree.kind(resolved) == .regular else {
            throw malformed("\(what) (\(relative)) is not a regular file inside the archive")
        }
        return resolved
    }

    private func verifiedBlob(_ digest: Digest, what: String) throws -> Data {
        let file = try inside("blobs/sha256/" + digest.hex, what: what)
        guard let bytes = FileManager.default.contents(atPath: file) else { throw malformed("cannot read \(what)") }
        let actual = try SHA256Stream.of(bytes: bytes)
        guard actual == digest else {
            throw ImageStoreError.digestMismatch(archive: archive, what: what, expected: digest.description, actual: actual.description)
        }
        return bytes
    }

    private func decodeConfig(_ bytes: Data, digest: Digest) throws -> OCIImageConfigFile {
        do {
            return try JSONDecoder().decode(OCIImageConfigFile.self, from: bytes)
        } catch {
            throw malformed("image config \(digest) is not an image configuration: \(error)")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, at relative: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: try inside(relative, what: relative)) else {
            throw malformed("cannot read \(relative)")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw malformed("\(relative) is not valid: \(error)")
        }
    }

    private func malformed(_ reason: String) -> ImageStoreError { .malformedArchive(archive, reason: reason) }

    static var hostArchitecture: String {
        #if arch(x86_64)
        "amd64"
        #elseif arch(arm64)
        "arm64"
        #else
        "unknown"
        #endif
    }

    static func matchesHost(_ platform: OCIPlatform) -> Bool {
        platform.os == "linux" && platform.architecture == hostArchitecture
    }
}
