import Foundation
import KubeAPI

/// Reads string values out of a Secret held as JSON (upstream's `bootstrapsecretutil.GetData`).
enum SecretData {
    /// The value of `key`: the base64-decoded `data` entry, else the `stringData` entry (which upstream folds into
    /// `data` on write but our store may keep as sent); nil when absent or not valid base64.
    static func value(_ secret: JSONValue, _ key: String) -> String? {
        if let encoded = secret[path: ["data", key]]?.string {
            guard let decoded = Data(base64Encoded: encoded) else { return nil }
            return String(decoding: decoded, as: UTF8.self)
        }
        return secret[path: ["stringData", key]]?.string
    }

    /// The raw bytes of `key` (for values compared in constant time).
    static func bytes(_ secret: JSONValue, _ key: String) -> [UInt8]? {
        if let encoded = secret[path: ["data", key]]?.string {
            return Data(base64Encoded: encoded).map { [UInt8]($0) }
        }
        return secret[path: ["stringData", key]]?.string.map { Array($0.utf8) }
    }

    /// Whether the secret carries any data at all.
    static func hasData(_ secret: JSONValue) -> Bool {
        secret["data"]?.object != nil || secret["stringData"]?.object != nil
    }
}
