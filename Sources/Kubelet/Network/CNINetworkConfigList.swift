import KubeAPI

/// A CNI network configuration list (a `.conflist`, or a single `.conf` wrapped into one), as libcni's
/// `NetworkConfigList`: the network's name and version, its plugins in order, and the exact bytes it came from
/// (which the result cache stores, so DEL can run with the configuration ADD used).
public struct CNINetworkConfigList: Sendable, Equatable {
    /// The network name: the host-local IPAM directory name and the first part of cache file names.
    public var name: String
    /// The spec version every plugin is told (`cniVersion` is injected into each plugin's configuration).
    public var cniVersion: String
    /// The plugin configurations in ADD order; each is an object with at least a `type`.
    public var plugins: [JSONValue]
    /// The configuration list as bytes (what libcni caches in `config`).
    public var bytes: [UInt8]
    /// The file it was loaded from, for messages.
    public var source: String?

    /// Parses a configuration list (`.conflist`).
    /// - Parameters:
    ///   - bytes: the file contents.
    ///   - source: the file path, for messages.
    public init(parsing bytes: [UInt8], source: String? = nil) throws {
        let place = source ?? "network configuration list"
        let root = try Self.parseObject(bytes, place)
        guard let name = root["name"]?.string else {
            throw CNIError(.invalidConfig, "\(place): no \"name\" string", hint: "give the network list a name")
        }
        try Self.validate(networkName: name, place)
        let version = root["cniVersion"]
        guard version == nil || version?.string != nil else {
            throw CNIError(.invalidConfig, "\(place): \"cniVersion\" is not a string", hint: "write e.g. \"cniVersion\": \"1.0.0\"")
        }
        guard let plugins = root["plugins"]?.array, !plugins.isEmpty else {
            throw CNIError(.invalidConfig, "\(place): no \"plugins\" in the list",
                           hint: "a .conflist needs a non-empty \"plugins\" array (a single plugin goes in a .conf file)")
        }
        for (index, plugin) in plugins.enumerated() where plugin["type"]?.string?.isEmpty ?? true {
            throw CNIError(.invalidConfig, "\(place): plugin \(index) has no \"type\"", hint: "name the plugin binary in \"type\"")
        }
        self.name = name
        self.cniVersion = version?.string ?? ""
        self.plugins = plugins
        self.bytes = bytes
        self.source = source
    }

    /// Wraps a single-plugin configuration (`.conf`) into a list, as libcni's `ConfListFromConf` does.
    /// - Parameters:
    ///   - bytes: the `.conf` file contents.
    ///   - source: the file path, for messages.
    public init(wrappingPluginConfig bytes: [UInt8], source: String? = nil) throws {
        let place = source ?? "network configuration"
        let plugin = try Self.parseObject(bytes, place)
        // A conflist saved as .conf has no top-level type; kubelet skips it the same way.
        guard plugin["type"]?.string?.isEmpty == false else {
            throw CNIError(.invalidConfig, "\(place): no plugin \"type\"",
                           hint: "a .conf holds one plugin; rename a configuration list to .conflist")
        }
        let list: JSONValue = [
            "name": plugin["name"] ?? "",
            "cniVersion": plugin["cniVersion"] ?? "",
            "plugins": [plugin],
        ]
        try self.init(parsing: JSONSerializer.bytes(list), source: source)
    }

    /// Builds a list from values (the loopback network, tests).
    /// - Parameters:
    ///   - name: the network name.
    ///   - cniVersion: the spec version.
    ///   - plugins: plugin configurations in order.
    public init(name: String, cniVersion: String, plugins: [JSONValue]) throws {
        let list: JSONValue = ["cniVersion": .string(cniVersion), "name": .string(name), "plugins": .array(plugins)]
        try self.init(parsing: JSONSerializer.bytes(list))
    }

    /// The plugin `type` of each plugin, in order.
    public var pluginTypes: [String] { plugins.map { $0["type"]?.string ?? "" } }

    /// The host-local IPAM data directory of this network, if a plugin uses host-local (`ipam.dataDir`, else
    /// host-local's default `<stateDir>/networks`).
    /// - Parameters:
    ///   - defaultDirectory: host-local's default data directory on this node.
    public func hostLocalDataDirectory(default defaultDirectory: String) -> String? {
        guard let ipam = plugins.lazy.compactMap({ $0["ipam"] }).first(where: { $0["type"]?.string == "host-local" }) else {
            return nil
        }
        return ipam["dataDir"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? defaultDirectory
    }

    // MARK: - Validation

    private static func parseObject(_ bytes: [UInt8], _ place: String) throws -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONParser().parse(bytes)
        } catch {
            throw CNIError(.invalidConfig, "\(place): \(error)", hint: "fix the JSON syntax")
        }
        guard value.object != nil else {
            throw CNIError(.invalidConfig, "\(place): not a JSON object", hint: "a CNI configuration is one JSON object")
        }
        return value
    }

    /// libcni's `ValidateNetworkName`: the name becomes a directory and file-name part.
    static func validate(networkName: String, _ place: String) throws {
        guard CNIIdentifier.isValid(networkName) else {
            throw CNIError(.invalidConfig, "\(place): network name \"\(networkName)\" is invalid",
                           hint: "use letters, digits, '_', '.', '-', starting with a letter or digit")
        }
    }
}

/// libcni's rule for container IDs and network names: `^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$`.
enum CNIIdentifier {
    static func isValid(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, isAlphanumeric(first) else { return false }
        return scalars.dropFirst().allSatisfy { isAlphanumeric($0) || "_.-".unicodeScalars.contains($0) }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// libcni's `ValidateInterfaceName`: at most 15 bytes, not "." or "..", no '/', ':' or whitespace.
    static func isValidInterfaceName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 15 && name != "." && name != ".."
            && !name.unicodeScalars.contains { $0 == "/" || $0 == ":" || $0.properties.isWhitespace }
    }
}
