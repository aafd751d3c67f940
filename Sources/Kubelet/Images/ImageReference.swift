/// A normalized image reference, as Docker and the kubelet understand them:
/// `busybox` is `docker.io/library/busybox:latest`, `me/app:1` is `docker.io/me/app:1`, and a first component
/// with a `.` or `:` (or `localhost`) is a registry host (`registry.local:5000/app`).
///
/// The store keys images by the normalized string, so `busybox`, `library/busybox` and
/// `docker.io/library/busybox:latest` in a pod spec all find the same image.
public struct ImageReference: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let domain: String
    public let path: String
    public let tag: String?
    public let digest: Digest?

    public static let defaultDomain = "docker.io"
    public static let defaultTag = "latest"

    /// Parses and normalizes. A reference without tag or digest gets `:latest`, like `docker pull`.
    public init(parsing text: String) throws {
        func invalid(_ reason: String) -> ImageStoreError { .invalidReference(text, reason: reason) }
        guard !text.isEmpty else { throw invalid("it is empty") }
        var remainder = Substring(text)
        var digest: Digest?
        if let at = remainder.firstIndex(of: "@") {
            digest = try? Digest(parsing: String(remainder[remainder.index(after: at)...]))
            guard digest != nil else { throw invalid("the part after '@' is not a sha256 digest") }
            remainder = remainder[..<at]
        }
        var tag: String?
        if let colon = remainder.lastIndex(of: ":"), !remainder[colon...].contains("/") {
            tag = String(remainder[remainder.index(after: colon)...])
            remainder = remainder[..<colon]
        }
        if let tag, !ImageReference.isValidTag(tag) {
            throw invalid("tag \"\(tag)\" must be 1-128 characters from [A-Za-z0-9_.-] and not start with '.' or '-'")
        }
        var components = remainder.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var domain = ImageReference.defaultDomain
        if components.count > 1, let first = components.first,
           first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
            domain = first == "index.docker.io" ? ImageReference.defaultDomain : first
            components.removeFirst()
        }
        guard ImageReference.isValidDomain(domain) else { throw invalid("registry host \"\(domain)\" is not a valid host[:port]") }
        if domain == ImageReference.defaultDomain && components.count == 1 { components.insert("library", at: 0) }
        for component in components where !ImageReference.isValidPathComponent(component) {
            throw invalid("path component \"\(component)\" must be lowercase letters and digits, separated by '.', '_', '__' or '-'")
        }
        let path = components.joined(separator: "/")
        guard domain.utf8.count + 1 + path.utf8.count <= 255 else { throw invalid("the name is longer than 255 characters") }
        self.domain = domain
        self.path = path
        self.digest = digest
        self.tag = tag ?? (digest == nil ? ImageReference.defaultTag : nil)
    }

    /// `docker.io/library/busybox`: what `crictl images` prints in its IMAGE column.
    public var repository: String { domain + "/" + path }

    public var description: String {
        repository + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0.description } ?? "")
    }

    /// The short form Docker prints (`busybox:1.36`, `me/app:1`, `registry.local/app:2`).
    public var familiar: String {
        var name = repository
        if domain == ImageReference.defaultDomain {
            name = path.hasPrefix("library/") && path.split(separator: "/").count == 2 ? String(path.dropFirst(8)) : path
        }
        return name + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0.description } ?? "")
    }

    /// This reference with the digest dropped: the key an import records a tag under.
    var tagged: ImageReference? {
        guard let tag else { return nil }
        return ImageReference(domain: domain, path: path, tag: tag, digest: nil)
    }

    private init(domain: String, path: String, tag: String?, digest: Digest?) {
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    public static func < (lhs: ImageReference, rhs: ImageReference) -> Bool { lhs.description < rhs.description }

    // MARK: Grammar (github.com/distribution/reference, without IPv6 hosts)

    static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard (1...128).contains(bytes.count), let first = bytes.first, isWord(first) else { return false }
        return bytes.allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
    static func isValidPathComponent(_ component: String) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
        var index = 0
        while index < bytes.count {
            if isLowerAlnum(bytes[index]) { index += 1; continue }
            var end = index
            while end < bytes.count, !isLowerAlnum(bytes[end]) { end += 1 }
            let separator = String(decoding: bytes[index..<end], as: UTF8.self)
            guard separator == "." || separator == "_" || separator == "__" || separator.allSatisfy({ $0 == "-" }) else { return false }
            index = end
        }
        return true
    }

    static func isValidDomain(_ domain: String) -> Bool {
        let parts = domain.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            guard let port = Int(parts[1]), (1...65535).contains(port), parts[1].allSatisfy(\.isNumber) else { return false }
        }
        let labels = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        return !labels.isEmpty && labels.allSatisfy { label in
            let bytes = Array(label.utf8)
            guard let first = bytes.first, let last = bytes.last, isAlnum(first), isAlnum(last) else { return false }
            return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (97...122).contains(byte) }
    private static func isAlnum(_ byte: UInt8) -> Bool { isLowerAlnum(byte) || (65...90).contains(byte) }
    private static func isWord(_ byte: UInt8) -> Bool { isAlnum(byte) || byte == UInt8(ascii: "_") }
}
