import Foundation

/// Finds the node's pod network in the CNI configuration directory the way the kubelet's CNI code does: list
/// `*.conf`, `*.conflist` and `*.json` (libcni `ConfFiles`), sort by name, and use the first file that loads as a
/// network whose plugins are all installed, skipping broken files.
public enum CNIConfigLoader {
    /// The extensions libcni considers; `.conflist` is a list, the others a single plugin.
    public static let extensions = [".conf", ".conflist", ".json"]

    /// The configuration files in `directory`, sorted by name; none if the directory does not exist.
    /// - Parameters:
    ///   - directory: the CNI configuration directory (`/etc/cni/net.d`).
    public static func configFiles(in directory: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw CNIError(.noNetworkConfig, "cannot read the CNI configuration directory \(directory): \(error)",
                           hint: "check its permissions")
        }
        return names.filter { name in
            var isDirectory: ObjCBool = false
            let path = directory + "/" + name
            return extensions.contains { name.hasSuffix($0) }
                && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted().map { directory + "/" + $0 }
    }

    /// Loads one configuration file: a list for `.conflist`, a wrapped single plugin otherwise.
    /// - Parameters:
    ///   - path: the file.
    public static func load(file path: String) throws -> CNINetworkConfigList {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CNIError(.invalidConfig, "cannot read \(path)", hint: "check that the file is readable")
        }
        return path.hasSuffix(".conflist")
            ? try CNINetworkConfigList(parsing: Array(data), source: path)
            : try CNINetworkConfigList(wrappingPluginConfig: Array(data), source: path)
    }

    /// The node's pod network: the first valid configuration in `directory`.
    /// - Parameters:
    ///   - directory: the CNI configuration directory (`/etc/cni/net.d`).
    ///   - pluginDirectories: where plugin binaries live; a network whose plugins are missing is skipped, as the
    ///     kubelet's `ValidateNetworkList` does. Empty skips that check.
    public static func defaultNetwork(in directory: String, pluginDirectories: [String] = []) throws -> CNINetworkConfigList {
        var skipped: [String] = []
        for file in try configFiles(in: directory) {
            do {
                let list = try load(file: file)
                if !pluginDirectories.isEmpty {
                    for type in list.pluginTypes { _ = try CNIPluginLocator.find(type, in: pluginDirectories) }
                }
                return list
            } catch {
                skipped.append("\(error)")
            }
        }
        let reasons = skipped.isEmpty ? "" : " (skipped: " + skipped.joined(separator: "; ") + ")"
        throw CNIError(.noNetworkConfig, "no valid CNI network configuration in \(directory)\(reasons)",
                       hint: "the kubelet writes a default bridge configuration once the node has a podCIDR, or install a network add-on")
    }
}

/// Finds plugin executables by `type` in the CNI plugin directories, as libcni's `FindInPath` does.
public enum CNIPluginLocator {
    /// The path of the executable for plugin `type`.
    /// - Parameters:
    ///   - type: the plugin type, i.e. its file name.
    ///   - directories: the directories to search, in order (`CNI_PATH`).
    public static func find(_ type: String, in directories: [String]) throws -> String {
        guard !type.isEmpty, !type.contains("/") else {
            throw CNIError(.invalidConfig, "plugin type \"\(type)\" is not a file name", hint: "name a plugin binary, e.g. \"bridge\"")
        }
        for directory in directories {
            let path = directory + "/" + type
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw CNIError(.pluginNotFound, "CNI plugin \"\(type)\" not found in \(directories.joined(separator: ":"))",
                       hint: "install containernetworking-plugins (apt-get install containernetworking-plugins)")
    }
}
