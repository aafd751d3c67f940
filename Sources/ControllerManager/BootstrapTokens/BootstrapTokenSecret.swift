import Foundation
import KubeAPI

/// A bootstrap token Secret (`kube-system/bootstrap-token-<id>`, type `bootstrap.kubernetes.io/token`) as the
/// bootstrap signer and token cleaner read it (upstream `bootstrapsecretutil`).
public struct BootstrapTokenSecret: Sendable, Hashable {
    public static let type = "bootstrap.kubernetes.io/token"
    public static let namespace = "kube-system"
    static let namePrefix = "bootstrap-token-"

    public var id: String
    public var secret: String
    /// `expiration`, nil when the token never expires (or the value is unreadable, which upstream treats as
    /// expired for signing: see `isExpired`).
    public var expiration: KubeTime?
    var expirationText: String?
    public var usages: Set<String>

    /// Reads the Secret; nil unless it is a bootstrap token with a well-formed id and secret in the right place.
    public init?(_ secret: JSONValue) {
        guard secret.metadata.namespace == Self.namespace, secret["type"]?.string == Self.type else { return nil }
        let data = (secret["data"]?.object ?? [:]).compactMapValues { value in
            value.string.flatMap { Data(base64Encoded: $0) }.flatMap { String(data: $0, encoding: .utf8) }
        }
        guard let id = data["token-id"], let tokenSecret = data["token-secret"], Self.valid(id, length: 6), Self.valid(tokenSecret, length: 16),
              secret.metadata.name == Self.namePrefix + id else { return nil }
        self.id = id
        self.secret = tokenSecret
        expirationText = data["expiration"]
        expiration = expirationText.flatMap { try? KubeTime(rfc3339: $0) }
        usages = Set(data.filter { $0.key.hasPrefix("usage-bootstrap-") && $0.value == "true" }.map { String($0.key.dropFirst("usage-bootstrap-".count)) })
    }

    static func valid(_ text: String, length: Int) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Past its expiration, or with one that cannot be read.
    public func isExpired(now: KubeTime) -> Bool {
        guard expirationText != nil else { return false }
        guard let expiration else { return true }
        return expiration <= now
    }
}
