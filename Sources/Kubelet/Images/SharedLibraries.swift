import Foundation

/// The shared-library closure of an executable, from `ldd`, and copying paths with their symlink chains
/// into a rootfs (Debian's merged /usr: /lib64 -> usr/lib64 -> ... -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2).
enum SharedLibraries {
    /// Absolute paths of every library `executable` loads, the dynamic loader included; empty for a static binary.
    static func closure(of executable: String) throws -> [String] {
        let output: String
        do {
            output = String(decoding: try ImageTools.check("ldd", [executable]), as: UTF8.self)
        } catch let ImageStoreError.toolFailed(_, _, message) where message.contains("not a dynamic executable") {
            return []
        }
        return try parse(lddOutput: output, executable: executable)
    }

    /// Lines look like `libssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x...)`, `/lib64/ld-linux-x86-64.so.2 (0x...)`
    /// or `linux-vdso.so.1 (0x...)` (in the kernel, nothing to copy).
    static func parse(lddOutput: String, executable: String) throws -> [String] {
        var paths: [String] = []
        for rawLine in lddOutput.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.contains("not a dynamic executable") || line.contains("statically linked") { return [] }
            let parts = line.components(separatedBy: " => ")
            let target = (parts.count == 2 ? parts[1] : parts[0]).trimmingCharacters(in: .whitespaces)
            if target.hasPrefix("not found") {
                throw ImageStoreError.bundledImage("\(executable) needs \(parts[0]), which the dynamic loader cannot find; "
                    + "install the package that provides it")
            }
            let path = target.split(separator: " ").first.map(String.init) ?? ""
            if path.hasPrefix("/"), !paths.contains(path) { paths.append(path) }
        }
        return paths
    }

    /// Copies host `path` to the same path under `rootfs`, recreating every symlink met on the way
    /// (directories and the file itself) and copying what they point to, so the loader finds the same names.
    static func replicate(_ path: String, into rootfs: String, seen: inout Set<String>) throws {
        guard seen.insert(path).inserted else { return }
        let components = path.split(separator: "/").map(String.init)
        var current = ""
        for (index, component) in components.enumerated() {
            current += "/" + component
            let isLast = index == components.count - 1
            switch FileTree.kind(current) {
            case .symlink:
                let target = try FileManager.default.destinationOfSymbolicLink(atPath: current)
                let copy = rootfs + current
                if FileTree.kind(copy) == nil { try FileManager.default.createSymbolicLink(atPath: copy, withDestinationPath: target) }
                let parent = FileTree.canonical((current as NSString).deletingLastPathComponent)
                let absolute = target.hasPrefix("/") ? target : normalize(parent + "/" + target)
                try replicate(absolute, into: rootfs, seen: &seen)
                if !isLast {
                    // The rest of the path continues through the link; replicate it at its resolved location.
                    let rest = components[(index + 1)...].joined(separator: "/")
                    try replicate(FileTree.canonical(current) + "/" + rest, into: rootfs, seen: &seen)
                    return
                }
            case .directory:
                if FileTree.kind(rootfs + current) == nil { try FileTree.makeDirectory(rootfs + current) }
            case .regular where isLast:
                if FileTree.kind(rootfs + current) == nil { try ImageTools.check("cp", ["--preserve=mode", "--", current, rootfs + current]) }
            default:
                throw ImageStoreError.bundledImage("\(current) (needed for \(path)) is not a file, directory or symlink")
            }
        }
    }

    /// Resolves `.` and `..` lexically (only used after the directory part was made canonical).
    static func normalize(_ path: String) -> String {
        var stack: [Substring] = []
        for component in path.split(separator: "/") {
            if component == "." { continue }
            if component == ".." { _ = stack.popLast() } else { stack.append(component) }
        }
        return "/" + stack.joined(separator: "/")
    }
}
