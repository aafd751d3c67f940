import Foundation

/// Writes the files of a ConfigMap, Secret, downward API or projected volume the way upstream's `AtomicWriter`
/// does: into a fresh timestamped directory, then one `rename` of the `..data` symlink publishes them all at once,
/// and each visible name is a symlink through `..data`. A reader never sees half an update.
enum AtomicDirectoryWriter {
    struct File {
        var path: String
        var contents: [UInt8]
        var mode: Int
    }

    static func write(_ files: [File], into directory: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in files where file.path.hasPrefix("/") || file.path.split(separator: "/").contains("..") || file.path.hasPrefix("..") {
            throw VolumeError("volume file path \"\(file.path)\" must be relative and must not contain '..'")
        }
        let stamp = "..\(Int(Date().timeIntervalSince1970 * 1_000_000))"
        let payload = directory + "/" + stamp
        try manager.createDirectory(atPath: payload, withIntermediateDirectories: true)
        for file in files {
            let target = payload + "/" + file.path
            try manager.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard manager.createFile(atPath: target, contents: Data(file.contents), attributes: [.posixPermissions: file.mode]) else {
                throw VolumeError("cannot write \(target)")
            }
        }
        let previous = try? manager.destinationOfSymbolicLink(atPath: directory + "/..data")
        let temporaryLink = directory + "/..data_tmp"
        try? manager.removeItem(atPath: temporaryLink)
        try manager.createSymbolicLink(atPath: temporaryLink, withDestinationPath: stamp)
        guard rename(temporaryLink, directory + "/..data") == 0 else {
            throw VolumeError("cannot publish \(directory)/..data: \(String(cString: strerror(errno)))")
        }
        let visible = Set(files.map { String($0.path.split(separator: "/").first ?? "") })
        for name in visible where !name.isEmpty {
            let link = directory + "/" + name
            if (try? manager.destinationOfSymbolicLink(atPath: link)) != "..data/" + name {
                try? manager.removeItem(atPath: link)
                try manager.createSymbolicLink(atPath: link, withDestinationPath: "..data/" + name)
            }
        }
        for entry in (try? manager.contentsOfDirectory(atPath: directory)) ?? [] where !entry.hasPrefix("..") && !visible.contains(entry) {
            try? manager.removeItem(atPath: directory + "/" + entry)
        }
        if let previous, previous != stamp { try? manager.removeItem(atPath: directory + "/" + previous) }
    }
}

/// A volume that cannot be set up; the pod waits with this message (upstream reports FailedMount events).
public struct VolumeError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
