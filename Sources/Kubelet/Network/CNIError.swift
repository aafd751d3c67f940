/// A CNI failure: what failed, where, and how to fix it, plus the plugin's own error when it sent one.
public struct CNIError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure, extensible without breaking `switch` statements.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name, e.g. "PluginFailed".
        public var rawValue: String
        /// A code; use the static constants.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No usable network configuration in the configuration directory (the node's network is not ready).
        public static let noNetworkConfig = Code("NoNetworkConfig")
        /// A configuration file that is not a valid CNI network configuration.
        public static let invalidConfig = Code("InvalidConfig")
        /// A bad container ID, interface name or port mapping.
        public static let invalidArgument = Code("InvalidArgument")
        /// No executable for a plugin `type` in any plugin directory.
        public static let pluginNotFound = Code("PluginNotFound")
        /// The plugin exited with an error.
        public static let pluginFailed = Code("PluginFailed")
        /// The plugin ran longer than the configured timeout and was killed.
        public static let pluginTimedOut = Code("PluginTimedOut")
        /// The plugin succeeded but printed something that is not a CNI result.
        public static let invalidResult = Code("InvalidResult")
        /// The result cache under /var/lib/cni/results could not be written.
        public static let cacheFailure = Code("CacheFailure")
    }

    /// The kind of failure.
    public var code: Code
    /// What failed and where (plugin, network, pod, file).
    public var message: String
    /// How to fix it.
    public var hint: String
    /// The error the plugin reported on stdout (`{"code":..,"msg":..,"details":..}`), if any.
    public var pluginError: CNIPluginError?

    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - message: what failed and where.
    ///   - hint: how to fix it (empty when the message says it all).
    ///   - pluginError: the plugin's own error object, if it printed one.
    public init(_ code: Code, _ message: String, hint: String, pluginError: CNIPluginError? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.pluginError = pluginError
    }

    public var description: String { hint.isEmpty ? message : "\(message); \(hint)" }
}

/// The error object a CNI plugin prints on stdout when it fails (CNI spec "Error" section).
public struct CNIPluginError: Sendable, Equatable, CustomStringConvertible {
    /// 1-99 are the spec's well-known codes (e.g. 7 invalid network config, 11 try again later); 100+ are plugin's.
    public var code: Int
    /// The plugin's message.
    public var msg: String
    /// More detail, often the underlying system error.
    public var details: String?

    /// An error object as a plugin prints it.
    public init(code: Int, msg: String, details: String? = nil) {
        self.code = code
        self.msg = msg
        self.details = details
    }

    /// The spec's names for its reserved codes, so a message says what a number means.
    static let wellKnownCodes: [Int: String] = [
        1: "incompatible CNI version", 2: "unsupported field in network configuration", 3: "container unknown or does not exist",
        4: "invalid necessary environment variables", 5: "I/O failure", 6: "failed to decode content",
        7: "invalid network config", 11: "try again later", 50: "plugin not available", 51: "plugin not available; limited connectivity",
    ]

    public var description: String {
        let meaning = Self.wellKnownCodes[code].map { " (\($0))" } ?? ""
        let more = details.map { $0.isEmpty ? "" : " (\($0))" } ?? ""
        return "code \(code)\(meaning): \(msg)\(more)"
    }
}
