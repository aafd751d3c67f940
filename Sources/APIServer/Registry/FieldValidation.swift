import KubeAPI
import Synchronization

/// Warnings a request produced, sent back as `Warning: 299 - "..."` headers (kubectl prints them as
/// `Warning: ...`). A reference type so the handlers deep inside the registry can add to the one per request.
final class RequestWarnings: Sendable {
    private let messages = Mutex([String]())

    func add(_ message: String) { messages.withLock { if !$0.contains(message) { $0.append(message) } } }

    /// Upstream's header form: code 299, agent "-", the message quoted with `"` and `\` escaped.
    var headers: [(String, String)] {
        messages.withLock { $0 }.map { message in
            let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return ("Warning", "299 - \"\(escaped)\"")
        }
    }
}

extension RequestContext {
    /// `fieldValidation`: Strict, Warn (upstream's default when absent) or Ignore; anything else is 400.
    func fieldValidationMode() throws -> String {
        let mode = query["fieldValidation"].flatMap { $0.isEmpty ? nil : $0 } ?? "Warn"
        guard ["Strict", "Warn", "Ignore"].contains(mode) else {
            throw StatusError.badRequest("fieldValidation must be one of Strict, Warn, Ignore; got \"\(mode)\"")
        }
        return mode
    }

    /// Drops fields the schema does not define from an object about to be stored, and reports them as the
    /// request's `fieldValidation` asks.
    func pruneUnknownFields(_ object: inout JSONValue) throws {
        let mode = try fieldValidationMode()
        guard let root = GeneratedPatchSchema.shared.rootType(group: info.group, version: info.version, kind: info.kind) else { return }
        let unknown = UnknownFields.prune(&object, type: root)
        guard !unknown.isEmpty else { return }
        switch mode {
        case "Strict":
            throw StatusError.badRequest("strict decoding error: " + unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", "))
        case "Warn":
            for path in unknown { warnings.add("unknown field \"\(path)\"") }
        default:
            break
        }
    }
}
