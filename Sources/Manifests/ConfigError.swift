import KubeAPI

/// A configuration that could not be read or is not valid. The CLI exits with code 3 (kubeadm's ValidationExitCode).
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// Where the configuration came from: a file path, or "flags".
    public var source: String
    /// `ClusterConfiguration (document 2)`, when the problem is inside one document.
    public var document: String?
    public var errors: [FieldError]

    public init(source: String, document: String? = nil, errors: [FieldError]) {
        self.source = source; self.document = document; self.errors = errors
    }

    public init(source: String, document: String? = nil, _ message: String) {
        self.init(source: source, document: document, errors: [FieldError("", message)])
    }

    public var description: String {
        let prefix = [source, document].compactMap { $0 }.joined(separator: ": ")
        if errors.count == 1, let only = errors.first { return "\(prefix): \(only)" }
        return "\(prefix): \(errors.count) problems:\n" + errors.map { "\t* \($0)" }.joined(separator: "\n")
    }
}
