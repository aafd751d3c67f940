import Foundation
import Manifests

#if canImport(Glibc)
    import Glibc
#endif

extension ImageStore {
    /// Imports every image of an OCI image-layout archive or a `docker save` archive (plain or gzip-compressed tar)
    /// and returns the references it now holds, sorted.
    ///
    /// All digests are checked (manifests, configs, layer blobs, diff IDs); layers already in the store are reused,
    /// not unpacked again.
    /// Atomic for the reader: each layer is unpacked in tmp/ and renamed into place, the reference index is
    /// replaced last, and a failure rolls back by garbage collection, so nothing half-written stays behind.
    @discardableResult
    public func importArchive(_ path: String) throws -> [ImageReference] {
        guard FileTree.kind(FileTree.canonical(path)) == .regular else {
            throw ImageStoreError.io("image archive \(path) does not exist or is not a regular file; check the path")
        }
        return try exclusive {
            let staging = try makeStagingDirectory("import")
            defer { try? FileTree.remove(staging) }
            do {
                try unpackArchive(path, into: staging)
                let images = try ArchiveContents(archive: path, directory: staging).images()
                for image in images {
                    // Every layer is verified, even one the store already has, so a corrupt archive is always refused.
                    for layer in image.layers {
                        try LayerUnpacker.verify(layer, archive: path)
                        guard FileTree.kind(layerPath(layer.diffID)) != .directory else { continue }
                        try commitLayer(layer.diffID) { try LayerUnpacker.extract(layer, archive: path, into: $0) }
                    }
                    try writeBlob(image.configBytes, digest: image.configDigest)
                    try writeBlob(image.manifest, digest: image.manifestDigest)
                }
                var references = try readReferences()
                for image in images {
                    for name in image.names {
                        guard let tagged = name.tagged else {
                            throw ImageStoreError.malformedArchive(path, reason: "image name \(name) has no tag; name images NAME:TAG")
                        }
                        references[tagged] = image.manifestDigest
                    }
                }
                try writeReferences(references)
                try collectGarbage()
                return images.flatMap { $0.names.compactMap(\.tagged) }.sorted()
            } catch {
                // Rollback: whatever this import added is referenced by nothing yet (tmp/ included).
                try? collectGarbage()
                throw error
            }
        }
    }

    /// Unpacks the outer archive. GNU tar detects compression by content, so `docker save | gzip` works too.
    private func unpackArchive(_ path: String, into directory: String) throws {
        do {
            try ImageTools.check("tar", ["-x", "-f", path, "-C", directory, "--no-same-owner", "--no-same-permissions"])
        } catch let ImageStoreError.toolFailed(_, _, output) {
            throw ImageStoreError.notAnArchive(path, reason: "tar cannot read it (\(output))")
        }
    }

    /// A fresh directory under tmp/ (same filesystem as the store, so renames out of it are atomic).
    func makeStagingDirectory(_ purpose: String) throws -> String {
        let path = tmpDir + "/\(purpose)-\(UUID().uuidString.lowercased())"
        try FileTree.makeDirectory(path, mode: 0o700)
        return path
    }

    /// Builds a layer in a staging directory with `fill`, then renames it to layers/<diffID> and links l/<short>.
    func commitLayer(_ diffID: Digest, fill: (String) throws -> Void) throws {
        let staging = try makeStagingDirectory("layer")
        defer { try? FileTree.remove(staging) }
        // The layer's root directory becomes the overlay's `/`: 0755 like every image's root.
        _ = chmod(staging, 0o755)
        try fill(staging)
        let destination = layerPath(diffID)
        if FileTree.kind(destination) == nil {
            guard rename(staging, destination) == 0 else {
                throw ImageStoreError.io("cannot move layer into \(destination): \(String(cString: strerror(errno)))")
            }
        }
        let link = root + "/" + linkName(diffID)
        if FileTree.kind(link) == nil {
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "../layers/" + diffID.hex)
        }
    }

    /// Stores a verified manifest or config.
    func writeBlob(_ bytes: Data, digest: Digest) throws {
        let path = blobPath(digest)
        guard FileTree.kind(path) == nil else { return }
        try AtomicFile.replace(Array(bytes), at: URL(fileURLWithPath: path), mode: 0o644)
    }
}
