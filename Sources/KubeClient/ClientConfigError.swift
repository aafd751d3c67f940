/// Why a connection configuration could not be built, naming the file and the field at fault so an operator can
/// fix the kubeconfig (or the pod's service-account mount) without reading the client's source.
public struct ClientConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kubeconfig file, the service-account directory, or "" when the configuration was built in memory.
    public var source: String
    /// The field path within the source, e.g. `users[admin].user.client-key`; "" for the source as a whole.
    public var field: String
    /// What is wrong, and where useful what to do about it.
    public var message: String

    public init(source: String, field: String, message: String) {
        self.source = source
        self.field = field
        self.message = message
    }

    public var description: String {
        let origin = source.isEmpty ? "client configuration" : source
        return field.isEmpty ? "\(origin): \(message)" : "\(origin): \(field): \(message)"
    }
}
