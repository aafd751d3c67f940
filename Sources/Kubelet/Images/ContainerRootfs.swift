import Foundation
import Manifests

#if canImport(Glibc)
    import Glibc
#endif

/// What a container's rootfs was made from. Kept next to the rootfs so that removing or retagging an image
/// never deletes layers a container still has mounted, and so that a rootfs can be mounted again after a reboot.
struct RootfsRecord: Codable, Equatable {
    var reference: String
    var manifest: Digest
    /// Bottom first.
    var layers: [Digest]
}

extension ImageStore {
    /// Mounts an overlayfs rootfs for `containerID` from `image` and returns its path (the OCI bundle's `root.path`).
    ///
    /// `lowerdir` lists the image's layers top first, through the short `l/` links relative to the store
    /// (the mount runs with the store as working directory), which keeps the option under the kernel's
    /// one-page limit for images of up to about 200 layers. The container's changes go to its own upper dir.
    /// Idempotent: a rootfs that is already mounted is returned as is; a recorded one (e.g. after a reboot)
    /// is mounted again from the layers it was first made from.
    public func prepareRootfs(containerID: String, image: Image) throws -> String {
        try ImageStore.validate(containerID: containerID)
        return try exclusive {
            let directory = containerDirectory(containerID)
            let rootfs = directory + "/rootfs"
            if FileTree.isMountPoint(rootfs) { return rootfs }
            let recordPath = directory + "/image.json"
            let isNew = FileTree.kind(recordPath) == nil
            do {
                let record = isNew ? RootfsRecord(reference: image.reference.description, manifest: image.digest, layers: image.diffIDs)
                                   : try decode(RootfsRecord.self, from: Data(contentsOf: URL(fileURLWithPath: recordPath)),
                                                what: recordPath)
                for diffID in record.layers where FileTree.kind(layerPath(diffID)) != .directory {
                    throw ImageStoreError.notFound("\(record.reference) (layer \(diffID.short) is missing)")
                }
                for sub in ["rootfs", "upper", "work"] { try FileTree.makeDirectory(directory + "/" + sub) }
                if isNew {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    try AtomicFile.replace(Array(try encoder.encode(record)), at: URL(fileURLWithPath: recordPath), mode: 0o600)
                }
                try mountOverlay(record: record, containerID: containerID, at: rootfs)
                return rootfs
            } catch {
                if isNew { try? FileTree.remove(directory) }
                throw error
            }
        }
    }

    /// Unmounts and deletes `containerID`'s rootfs, upper and work directories. Does nothing if there is none.
    /// Layers only this container kept alive (its image was removed or retagged meanwhile) are deleted too.
    public func releaseRootfs(containerID: String) throws {
        try ImageStore.validate(containerID: containerID)
        try exclusive {
            let directory = containerDirectory(containerID)
            guard FileTree.kind(directory) != nil else { return }
            let rootfs = directory + "/rootfs"
            try ImageStore.unmount(rootfs)
            try FileTree.remove(directory)
            try collectGarbage()
        }
    }

    /// Where `prepareRootfs` mounts `containerID`'s rootfs.
    public func rootfsPath(containerID: String) -> String {
        containerDirectory(containerID) + "/rootfs"
    }

    /// Container IDs that have a rootfs (mounted or recorded), sorted: what `kubeadm-swift reset` releases.
    public func containerIDs() throws -> [String] {
        try shared { try containerRecords().keys.sorted() }
    }

    // MARK: Internals

    func containerDirectory(_ containerID: String) -> String { containersDir + "/" + containerID }

    func containerRecords() throws -> [String: RootfsRecord] {
        var records: [String: RootfsRecord] = [:]
        for id in entries(containersDir) {
            let path = containerDirectory(id) + "/image.json"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            records[id] = try decode(RootfsRecord.self, from: data, what: path)
        }
        return records
    }

    static func validate(containerID: String) throws {
        let bytes = Array(containerID.utf8)
        let allowed = bytes.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 95 || byte == 46 || byte == 45
        }
        guard (1...128).contains(bytes.count), allowed, bytes.first != UInt8(ascii: ".") else {
            throw ImageStoreError.invalidContainerID(containerID)
        }
    }

    /// The kernel copies mount options into one page.
    static let mountOptionLimit = Int(sysconf(Int32(_SC_PAGESIZE))) - 1

    private func mountOverlay(record: RootfsRecord, containerID: String, at rootfs: String) throws {
        var lower = record.layers.reversed().map(lowerDirectory)
        if lower.isEmpty {
            // overlayfs needs at least one lower layer; an image without layers gets an empty one.
            let empty = "containers/\(containerID)/empty"
            try FileTree.makeDirectory(root + "/" + empty)
            lower = [empty]
        }
        let options = "lowerdir=\(lower.joined(separator: ":")),upperdir=containers/\(containerID)/upper,"
            + "workdir=containers/\(containerID)/work"
        guard options.utf8.count <= ImageStore.mountOptionLimit else {
            throw ImageStoreError.mountFailed(path: rootfs, reason: "the image has \(record.layers.count) layers, more than one "
                + "overlay mount can stack; flatten the image (fewer layers) and import it again")
        }
        do {
            try ImageTools.check("mount", ["-t", "overlay", "overlay", "-o", options, rootfs], in: root)
        } catch let ImageStoreError.toolFailed(_, _, output) {
            throw ImageStoreError.mountFailed(path: rootfs, reason: output)
        }
    }

    /// The layer's path for `lowerdir`, relative to the store: its short link unless another layer owns that name.
    private func lowerDirectory(_ diffID: Digest) -> String {
        let link = linkName(diffID)
        let target = try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/" + link)
        return target == "../layers/" + diffID.hex ? link : "layers/" + diffID.hex
    }

    /// Unmounts every mount stacked on `path`; lazily if it is busy (a process still has it open), which detaches
    /// it from the tree at once so the directory can be removed.
    static func unmount(_ path: String) throws {
        // Ask the kernel rather than parse mountinfo: unmount until it answers EINVAL ("not a mount point"), which
        // also clears mounts stacked on the same path. Lazy, so a process still inside cannot keep it busy.
        for _ in 0..<8 {
            if umount2(path, Int32(MNT_DETACH)) != 0 {
                if errno == EINVAL || errno == ENOENT { return }
                throw ImageStoreError.mountFailed(path: path, reason: "cannot unmount it: \(String(cString: strerror(errno)))")
            }
        }
        throw ImageStoreError.mountFailed(path: path, reason: "it stays mounted after 8 unmounts")
    }

}
