import Foundation
import Manifests

/// The node's local OCI image store (DESIGN.md: /var/lib/kubeadm-swift/images).
///
/// Layout under `root`:
/// ```
/// refs.json                 normalized reference -> manifest digest (the only file that names images)
/// blobs/sha256/<hex>        manifests and configs, content-addressed and verified on import
/// layers/<diffID hex>/      each layer unpacked once, whiteouts already in overlayfs form, shared by images
/// l/<16 hex>                short links to layers, so a many-layer overlay `lowerdir` fits in one page
/// containers/<id>/          rootfs (overlay mount point), upper, work, image.json (what it was made from)
/// tmp/                      staging for imports; anything here is garbage after a crash
/// .lock                     flock: exclusive for changes, shared for reads (CLI and kubelet share the store)
/// ```
/// Compressed layer blobs are not kept once unpacked: the store feeds containers, it is not a registry.
public final class ImageStore: Sendable {
    /// The store directory itself (`HostPaths.imagesDir` on a node, a temporary directory in tests).
    public let root: String

    public init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    /// The store at the node's well-known path under `host.root`.
    public convenience init(host: HostPaths) {
        self.init(root: host.imagesDir)
    }

    // MARK: Paths

    var lockPath: String { root + "/.lock" }
    var refsPath: String { root + "/refs.json" }
    var blobsDir: String { root + "/blobs/sha256" }
    var layersDir: String { root + "/layers" }
    var linksDir: String { root + "/l" }
    var containersDir: String { root + "/containers" }
    var tmpDir: String { root + "/tmp" }

    func blobPath(_ digest: Digest) -> String { blobsDir + "/" + digest.hex }
    func layerPath(_ diffID: Digest) -> String { layersDir + "/" + diffID.hex }
    /// The short link's path relative to `root` (overlay mounts run with `root` as working directory).
    func linkName(_ diffID: Digest) -> String { "l/" + diffID.hex.prefix(16) }

    // MARK: Locking

    /// Runs `body` holding the store's exclusive lock, creating the layout first.
    func exclusive<T>(_ body: () throws -> T) throws -> T {
        for directory in [root, blobsDir, layersDir, linksDir, containersDir, tmpDir] {
            try FileTree.makeDirectory(directory, mode: 0o700)
        }
        return try StoreLock.with(lockPath, exclusive: true, body)
    }

    /// Runs `body` holding a shared lock; a store that was never written is read without one (and is empty),
    /// so `images list` works for any user on a fresh node.
    func shared<T>(_ body: () throws -> T) throws -> T {
        guard FileManager.default.fileExists(atPath: lockPath) else { return try body() }
        return try StoreLock.with(lockPath, exclusive: false, body)
    }

    // MARK: The reference index

    private struct ReferenceIndex: Codable {
        var version = 1
        var references: [String: Digest]
    }

    func readReferences() throws -> [ImageReference: Digest] {
        guard let data = FileManager.default.contents(atPath: refsPath) else { return [:] }
        let index: ReferenceIndex
        do {
            index = try JSONDecoder().decode(ReferenceIndex.self, from: data)
        } catch {
            throw ImageStoreError.io("the image index \(refsPath) is unreadable (\(error)); restore it or remove the store "
                + "directory \(root) and import the images again")
        }
        var references: [ImageReference: Digest] = [:]
        for (text, digest) in index.references {
            if let reference = try? ImageReference(parsing: text) { references[reference] = digest }
        }
        return references
    }

    func writeReferences(_ references: [ImageReference: Digest]) throws {
        let index = ReferenceIndex(references: Dictionary(uniqueKeysWithValues: references.map { ($0.key.description, $0.value) }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.replace(Array(try encoder.encode(index)), at: URL(fileURLWithPath: refsPath), mode: 0o600)
    }

    // MARK: Reading images

    func readBlob(_ digest: Digest) throws -> Data {
        guard let data = FileManager.default.contents(atPath: blobPath(digest)) else {
            throw ImageStoreError.io("blob \(digest) is missing from \(blobsDir); remove the image and import it again")
        }
        return data
    }

    func readManifest(_ digest: Digest) throws -> OCIManifest {
        try decode(OCIManifest.self, from: readBlob(digest), what: "manifest \(digest)")
    }

    /// Loads the image a reference points at, from its stored manifest and config.
    func loadImage(_ reference: ImageReference, manifestDigest: Digest) throws -> Image {
        let manifest = try readManifest(manifestDigest)
        let id = try Digest(parsing: manifest.config.digest)
        let file = try decode(OCIImageConfigFile.self, from: readBlob(id), what: "image config \(id)")
        let diffIDs = try file.rootfs.diffIDs.map(Digest.init(parsing:))
        return Image(reference: reference, digest: manifestDigest, id: id, config: ImageConfig(file), diffIDs: diffIDs,
                     layerDirectories: diffIDs.map(layerPath),
                     size: manifest.config.size + manifest.layers.reduce(0) { $0 + $1.size },
                     created: file.created.flatMap(ImageStore.parseTime))
    }

    /// Finds what `text` names: a reference (tag or digest), or an image ID (full or a prefix of 6+ hex digits).
    /// Returns the matching stored references, all for one image.
    func match(_ text: String, in references: [ImageReference: Digest]) throws -> (ImageReference, Digest, [ImageReference])? {
        if let wanted = try? ImageReference(parsing: text) {
            if let tagged = wanted.tagged, let digest = references[tagged], wanted.digest == nil || wanted.digest == digest {
                return (wanted, digest, [tagged])
            }
            if wanted.tag == nil, let digest = wanted.digest {
                let hits = references.filter { $0.key.repository == wanted.repository && $0.value == digest }.keys.sorted()
                if !hits.isEmpty { return (wanted, digest, hits) }
            }
        }
        var hex = text.hasPrefix("sha256:") ? String(text.dropFirst(7)) : text
        hex = hex.lowercased()
        guard Digest.isHex(hex), (6...64).contains(hex.count) else { return nil }
        var byID: [Digest: [ImageReference]] = [:]
        var manifestOf: [Digest: Digest] = [:]
        for (reference, digest) in references {
            guard let id = try? Digest(parsing: readManifest(digest).config.digest), id.hex.hasPrefix(hex) else { continue }
            byID[id, default: []].append(reference)
            manifestOf[id] = digest
        }
        guard byID.count <= 1 else { throw ImageStoreError.ambiguous(text, matches: byID.keys.sorted().map(\.short)) }
        guard let (id, hits) = byID.first, let digest = manifestOf[id] else { return nil }
        let sorted = hits.sorted()
        return (sorted[0], digest, sorted)
    }

    // MARK: Public API

    /// The image `reference` names (`busybox`, `docker.io/library/busybox:1.36`, `name@sha256:...` or an image ID),
    /// or nil when the store does not have it.
    public func resolve(_ reference: String) throws -> Image? {
        try shared {
            guard let (named, digest, _) = try match(reference, in: readReferences()) else { return nil }
            return try loadImage(named, manifestDigest: digest)
        }
    }

    /// Every stored reference, sorted by name.
    public func list() throws -> [ImageSummary] {
        try shared {
            try readReferences().sorted { $0.key < $1.key }.map { reference, digest in
                let image = try loadImage(reference, manifestDigest: digest)
                return ImageSummary(reference: reference, digest: digest, id: image.id, size: image.size, created: image.created)
            }
        }
    }

    /// Removes what `reference` names: one tag, every tag of a `name@digest`, or every tag of an image ID.
    /// Refuses while a container's rootfs was made from an image that would be left without a name.
    /// Layers no remaining image or container uses are deleted.
    @discardableResult
    public func remove(_ reference: String) throws -> [ImageReference] {
        try exclusive {
            var references = try readReferences()
            guard let (_, digest, removed) = try match(reference, in: references) else { throw ImageStoreError.notFound(reference) }
            for name in removed { references[name] = nil }
            if !references.values.contains(digest) {
                let users = try containerRecords().filter { $0.value.manifest == digest }.keys.sorted()
                if !users.isEmpty { throw ImageStoreError.inUse(removed.map(\.description).joined(separator: ", "), containers: users) }
            }
            try writeReferences(references)
            try collectGarbage()
            return removed
        }
    }

    // MARK: Garbage collection

    /// Deletes blobs, layers and links nothing refers to, and everything under tmp/.
    /// Called with the exclusive lock held, after a removal and after a failed import (its rollback).
    func collectGarbage() throws {
        let references = try readReferences()
        let records = try containerRecords()
        var manifests = Set(references.values)
        manifests.formUnion(records.values.map(\.manifest))
        var blobs = manifests
        var layers = Set(records.values.flatMap(\.layers))
        for digest in manifests {
            guard let manifest = try? readManifest(digest), let config = try? Digest(parsing: manifest.config.digest) else { continue }
            blobs.insert(config)
            if let file = try? decode(OCIImageConfigFile.self, from: readBlob(config), what: "config") {
                layers.formUnion(file.rootfs.diffIDs.compactMap { try? Digest(parsing: $0) })
            }
        }
        let liveHex = Set(layers.map(\.hex))
        for name in entries(blobsDir) where !blobs.contains(where: { $0.hex == name }) { try FileTree.remove(blobsDir + "/" + name) }
        for name in entries(layersDir) where !liveHex.contains(name) { try FileTree.remove(layersDir + "/" + name) }
        for name in entries(linksDir) {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: linksDir + "/" + name)) ?? ""
            if !liveHex.contains((target as NSString).lastPathComponent) { try FileTree.remove(linksDir + "/" + name) }
        }
        for name in entries(tmpDir) { try FileTree.remove(tmpDir + "/" + name) }
    }

    func entries(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    // MARK: Helpers

    func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw ImageStoreError.io("\(what) is not valid JSON of the expected shape: \(error)")
        }
    }

    /// RFC 3339 with or without fractional seconds (Go writes up to nanoseconds).
    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        // Nanosecond fractions confuse ISO8601DateFormatter; drop the fraction and retry.
        if let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            return formatter.date(from: String(text[..<dot]) + String(text[zone...]))
        }
        return nil
    }

    static func formatTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
