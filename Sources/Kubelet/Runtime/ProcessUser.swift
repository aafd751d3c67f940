import Foundation

/// The numeric identity a container process runs as.
public struct ProcessUser: Codable, Sendable, Hashable {
    /// The user id.
    public var uid: UInt32
    /// The primary group id.
    public var gid: UInt32
    /// Supplementary groups (primary group first, then /etc/group memberships, then `supplementalGroups`).
    public var additionalGids: [UInt32]

    /// Creates a process identity.
    public init(uid: UInt32, gid: UInt32, additionalGids: [UInt32] = []) {
        self.uid = uid
        self.gid = gid
        self.additionalGids = additionalGids
    }

    /// root:root.
    public static let root = ProcessUser(uid: 0, gid: 0, additionalGids: [0])

    /// Resolves the user a container runs as, the way containerd's CRI plugin does.
    ///
    /// `runAsUser` wins over the image's `User`; `runAsGroup` over any group. A name (`nginx`, `www:www`) is looked
    /// up in the image's /etc/passwd and /etc/group; a numeric uid without a group takes the group of its passwd
    /// entry, or 0 when it has none. Supplementary groups are the memberships in /etc/group plus
    /// `supplementalGroups` (which carries `fsGroup` as well).
    /// - Parameters:
    ///   - imageUser: the image config's `User` (`""`, `"1000"`, `"nginx"`, `"1000:1000"`, `"nginx:www"`).
    ///   - runAsUser: `securityContext.runAsUser`.
    ///   - runAsGroup: `securityContext.runAsGroup`.
    ///   - supplementalGroups: `supplementalGroups` plus `fsGroup`.
    ///   - rootfs: the container's root filesystem, for /etc/passwd and /etc/group.
    /// - Throws: `RuntimeError.invalidSpec` when a name is not in the image's files.
    public static func resolve(
        imageUser: String?, runAsUser: Int64?, runAsGroup: Int64?, supplementalGroups: [Int64] = [], rootfs: String
    ) throws -> ProcessUser {
        let passwd = PasswdFile.users(at: rootfs + "/etc/passwd")
        let groups = PasswdFile.groups(at: rootfs + "/etc/group")
        var userPart = runAsUser.map(String.init) ?? ""
        var groupPart: String?
        if runAsUser == nil, let imageUser, !imageUser.isEmpty {
            let pieces = imageUser.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            userPart = String(pieces[0])
            groupPart = pieces.count > 1 ? String(pieces[1]) : nil
        }
        if let runAsGroup { groupPart = String(runAsGroup) }

        let entry: PasswdFile.User?
        let uid: UInt32
        if userPart.isEmpty {
            entry = passwd.first { $0.uid == 0 }
            uid = 0
        } else if let numeric = UInt32(userPart) {
            entry = passwd.first { $0.uid == numeric }
            uid = numeric
        } else {
            guard let named = passwd.first(where: { $0.name == userPart }) else {
                throw RuntimeError(.invalidSpec, "unable to find user \(userPart): no matching entries in passwd file")
            }
            entry = named
            uid = named.uid
        }

        let gid: UInt32
        if let groupPart, !groupPart.isEmpty {
            if let numeric = UInt32(groupPart) {
                gid = numeric
            } else if let named = groups.first(where: { $0.name == groupPart }) {
                gid = named.gid
            } else {
                throw RuntimeError(.invalidSpec, "unable to find group \(groupPart): no matching entries in group file")
            }
        } else {
            gid = entry?.gid ?? 0
        }

        var additional = [gid]
        if let name = entry?.name {
            additional += groups.filter { $0.name != name && $0.members.contains(name) }.map(\.gid)
        }
        additional += supplementalGroups.compactMap { UInt32(exactly: $0) }
        var seen = Set<UInt32>()
        return ProcessUser(uid: uid, gid: gid, additionalGids: additional.filter { seen.insert($0).inserted })
    }
}

/// Reads an image's /etc/passwd and /etc/group (missing or unreadable files read as empty, as in containerd).
enum PasswdFile {
    struct User: Equatable {
        var name: String
        var uid: UInt32
        var gid: UInt32
    }

    struct Group: Equatable {
        var name: String
        var gid: UInt32
        var members: [String]
    }

    static func users(at path: String) -> [User] {
        fields(at: path).compactMap { f in
            guard f.count >= 4, let uid = UInt32(f[2]), let gid = UInt32(f[3]) else { return nil }
            return User(name: f[0], uid: uid, gid: gid)
        }
    }

    static func groups(at path: String) -> [Group] {
        fields(at: path).compactMap { f in
            guard f.count >= 3, let gid = UInt32(f[2]) else { return nil }
            let members = f.count > 3 ? f[3].split(separator: ",").map(String.init) : []
            return Group(name: f[0], gid: gid, members: members)
        }
    }

    private static func fields(at path: String) -> [[String]] {
        guard let text = PosixIO.readText(path) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            return trimmed.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        }
    }
}
