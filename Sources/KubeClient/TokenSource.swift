import Foundation

/// The bearer token of each request: a static token, or a token file re-read after `refresh` so that rotated
/// service-account tokens are picked up without restarting the component (client-go's `cachingTokenSource`).
final class TokenSource: Sendable {
    private let staticToken: String?
    private let file: String?
    private let refresh: Duration
    private let cached = LockedValue<CachedToken?>(nil)

    private struct CachedToken: Sendable {
        var token: String
        var readAt: ContinuousClock.Instant
    }

    init(config: ClientConfig) {
        staticToken = config.bearerToken
        file = config.tokenFile
        refresh = config.tokenFileRefresh
    }

    /// The token to send, or nil for none. A file that cannot be read keeps the last good token (the kubelet
    /// replaces it atomically, but a reader may still catch a moment without it).
    func token() -> String? {
        guard let file else { return staticToken }
        let now = ContinuousClock.now
        if let current = cached.value, now - current.readAt < refresh { return current.token }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            return cached.withLock { $0?.token } ?? staticToken
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        cached.withLock { $0 = CachedToken(token: token, readAt: now) }
        return token
    }
}
