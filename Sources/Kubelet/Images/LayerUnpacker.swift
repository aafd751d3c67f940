import Foundation

/// Turns one layer file into an overlay-ready directory: verify, extract with GNU tar, convert whiteouts.
///
/// Verification reads the layer before anything is extracted (a second decompression pass rather than
/// hashing tar's input through a pipe), so a corrupt layer is rejected before it touches the store.
enum LayerUnpacker {
    /// Layer compression, detected from magic bytes: media types in the wild are not reliable enough
    /// (Docker's archives call gzip and plain layers by the same name).
    enum Compression: Equatable {
        case none, gzip, zstd

        static func detect(_ file: String) throws -> Compression {
            guard let handle = FileHandle(forReadingAtPath: file) else { throw ImageStoreError.io("cannot open layer \(file)") }
            defer { try? handle.close() }
            let magic = Array((try handle.read(upToCount: 6)) ?? Data())
            if magic.starts(with: [0x1f, 0x8b]) { return .gzip }
            if magic.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) { return .zstd }
            if magic.starts(with: [0x42, 0x5a, 0x68]) || magic.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) {
                throw ImageStoreError.io("bzip2/xz compressed layers are not part of the OCI image spec")
            }
            return .none
        }

        var mediaTypeSuffix: String {
            switch self {
            case .none: ""
            case .gzip: "+gzip"
            case .zstd: "+zstd"
            }
        }

        /// The decompressor and GNU tar's matching flag.
        var tool: (name: String, arguments: [String], tarFlag: String)? {
            switch self {
            case .none: nil
            case .gzip: ("gzip", ["-dc", "--"], "--gzip")
            case .zstd: ("zstd", ["-dcq", "--"], "--zstd")
            }
        }
    }

    /// Checks the layer file against the digests the archive claims: `blob` for the file as stored,
    /// `diffID` for its uncompressed tar stream.
    static func verify(_ layer: PendingLayer, archive: String) throws {
        let compression = try detect(layer, archive: archive)
        let (fileDigest, _) = try SHA256Stream.of(file: layer.file)
        if let blob = layer.blobDigest, blob != fileDigest {
            throw ImageStoreError.digestMismatch(archive: archive, what: "layer \(layer.label)", expected: blob.description,
                                                 actual: fileDigest.description)
        }
        var uncompressed = fileDigest
        if let tool = compression.tool {
            let stream = try SHA256Stream()
            do {
                try ImageTools.stream(tool.name, tool.arguments + [layer.file]) { stream.update($0) }
            } catch let ImageStoreError.toolFailed(_, _, output) {
                throw ImageStoreError.unsupportedLayer(archive: archive, layer: layer.label, reason: "it does not decompress: \(output)")
            }
            uncompressed = try stream.finish()
        }
        guard uncompressed == layer.diffID else {
            throw ImageStoreError.digestMismatch(archive: archive, what: "uncompressed layer \(layer.label) (its diff_id)",
                                                 expected: layer.diffID.description, actual: uncompressed.description)
        }
    }

    /// Extracts the layer into `directory` (which must exist and be empty) and converts its whiteouts.
    static func extract(_ layer: PendingLayer, archive: String, into directory: String) throws {
        let compression = try detect(layer, archive: archive)
        // Owners, modes and file capabilities must survive (--numeric-owner: never map through the host's
        // /etc/passwd). trusted.* xattrs from the tar are dropped: overlayfs reads trusted.overlay.* as its own
        // metadata, and only the whiteout conversion may set those.
        var arguments = ["-x", "-f", layer.file, "-C", directory, "--numeric-owner", "--same-owner", "--same-permissions",
                         "--xattrs", "--xattrs-include=*", "--xattrs-exclude=trusted.*"]
        if let flag = compression.tool?.tarFlag { arguments.append(flag) }
        do {
            try ImageTools.check("tar", arguments)
        } catch let ImageStoreError.toolFailed(_, _, output) {
            throw ImageStoreError.unsupportedLayer(archive: archive, layer: layer.label, reason: "tar could not extract it: \(output)")
        }
        try Whiteouts.convert(in: directory)
    }

    private static func detect(_ layer: PendingLayer, archive: String) throws -> Compression {
        do {
            return try Compression.detect(layer.file)
        } catch let ImageStoreError.io(reason) {
            throw ImageStoreError.unsupportedLayer(archive: archive, layer: layer.label, reason: reason)
        }
    }
}

/// OCI whiteouts (AUFS-style marker files in the layer tar) rewritten into overlayfs's own form, so unpacked
/// layers stack directly as `lowerdir`s:
///
/// | in the layer tar       | in the unpacked layer                                  |
/// |------------------------|--------------------------------------------------------|
/// | `dir/.wh.name`         | `dir/name` as a character device 0/0 (hides `name` below) |
/// | `dir/.wh..wh..opq`     | `trusted.overlay.opaque=y` on `dir` (hides all of `dir` below) |
/// | `.wh..wh.plnk`, `.wh..wh.aufs`, other `.wh..wh.*` | removed (AUFS bookkeeping) |
enum Whiteouts {
    static let prefix = ".wh."
    static let opaqueMarker = ".wh..wh..opq"
    static let opaqueAttribute = "trusted.overlay.opaque"

    static func convert(in directory: String) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        for name in names where name.hasPrefix(prefix) {
            let marker = directory + "/" + name
            if name == opaqueMarker {
                try ExtendedAttributes.set(directory, name: opaqueAttribute, value: "y")
                try FileTree.remove(marker)
            } else if name.hasPrefix(prefix + prefix) {
                try FileTree.remove(marker)
            } else {
                let target = String(name.dropFirst(prefix.count))
                guard target != ".", target != ".." else {
                    throw ImageStoreError.io("whiteout \(marker) names '\(target)', which no layer may hide")
                }
                let hidden = directory + "/" + target
                try FileTree.remove(marker)
                try FileTree.remove(hidden)
                try FileTree.makeWhiteout(hidden)
            }
        }
        for name in names where !name.hasPrefix(prefix) {
            let child = directory + "/" + name
            if FileTree.kind(child) == .directory { try convert(in: child) }
        }
    }
}
