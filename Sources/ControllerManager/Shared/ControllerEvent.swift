/// An Event a controller records about the object it reconciles (what `kubectl describe` lists).
public struct ControllerEvent: Sendable, Hashable, CustomStringConvertible {
    /// "Normal" or "Warning".
    public var type: String
    /// A CamelCase reason such as "ScalingReplicaSet".
    public var reason: String
    /// The human-readable message.
    public var message: String

    /// Creates an event.
    /// - Parameters:
    ///   - type: "Normal" or "Warning".
    ///   - reason: the reason.
    ///   - message: the message.
    public init(_ type: String = "Normal", reason: String, message: String) {
        self.type = type
        self.reason = reason
        self.message = message
    }

    public var description: String { "\(type) \(reason) \(message)" }
}
