import Foundation
import KubeAPI

/// Runs network configuration lists with libcni's semantics (`AddNetworkList` / `DelNetworkList`).
///
/// ADD runs the plugins in order, each receiving the previous one's result as `prevResult`, then caches the
/// final result with the configuration. DEL runs them in reverse, each receiving the cached result (spec 0.4.0
/// and later), then drops the cache entry. An ADD that fails leaves the cache untouched; the caller runs DEL to
/// release what the plugins before the failing one set up.
public struct CNIInvoker: Sendable {
    /// `CNI_PATH`: where plugin binaries are looked up, in order.
    public var pluginDirectories: [String]
    /// Where ADD results are kept for DEL.
    public var cache: CNIResultCache
    /// How long one plugin invocation may run before it is killed.
    public var timeout: Duration
    /// The kubelet's environment, passed on to plugins minus any stray `CNI_*`.
    public var environment: [String: String]

    /// - Parameters:
    ///   - pluginDirectories: the plugin directories, in search order.
    ///   - cache: the result cache.
    ///   - timeout: the limit for one plugin invocation.
    ///   - environment: the environment plugins inherit (default: the kubelet's).
    public init(pluginDirectories: [String], cache: CNIResultCache, timeout: Duration = .seconds(60),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.pluginDirectories = pluginDirectories
        self.cache = cache
        self.timeout = timeout
        self.environment = environment
    }

    /// ADD: attaches the container to the network; returns the final result (also cached).
    /// - Parameters:
    ///   - list: the network configuration list.
    ///   - runtime: container ID, namespace, interface, CNI_ARGS and capability arguments.
    public func addNetworkList(_ list: CNINetworkConfigList, _ runtime: CNIRuntimeConf) async throws -> CNIResult {
        try Self.validate(list, runtime)
        var previous: JSONValue?
        for plugin in list.plugins {
            let config = CNIConfigInjection.pluginConfig(plugin, in: list, prevResult: previous, capabilityArgs: runtime.capabilityArgs)
            let output = try await execute(command: "ADD", plugin: plugin, list: list, config: config, runtime: runtime)
            do {
                previous = try JSONParser().parse(output)
            } catch {
                throw CNIError(.invalidResult, "CNI plugin \(Self.describe(plugin)) of network \"\(list.name)\" printed an invalid ADD result: \(error)",
                               hint: "check the plugin's version against the configuration's cniVersion \"\(list.cniVersion)\"")
            }
        }
        let result = try CNIResult(previous ?? .emptyObject)
        try cache.store(CNIResultCache.Entry(
            networkName: list.name, containerID: runtime.containerID, ifName: runtime.ifName, netns: runtime.netns,
            config: list.bytes, cniArgs: runtime.args, capabilityArgs: runtime.capabilityArgs, result: result.raw))
        return result
    }

    /// DEL: detaches the container, plugins in reverse order with the cached ADD result as `prevResult`.
    ///
    /// Idempotent like the plugins themselves: deleting an attachment that is already gone succeeds. The cache
    /// entry is removed only when every plugin succeeded, so a failed DEL can be retried with the same input.
    /// - Parameters:
    ///   - list: the network configuration list (preferably the cached one ADD used).
    ///   - runtime: the same arguments as ADD; `netns` empty if the namespace no longer exists.
    public func deleteNetworkList(_ list: CNINetworkConfigList, _ runtime: CNIRuntimeConf) async throws {
        let cached = CNIVersion.isAtLeast(list.cniVersion, CNIVersion.cachedResultOnDelete)
            ? cache.entry(network: list.name, containerID: runtime.containerID, ifName: runtime.ifName)?.result
            : nil
        for plugin in list.plugins.reversed() {
            let config = CNIConfigInjection.pluginConfig(plugin, in: list, prevResult: cached, capabilityArgs: runtime.capabilityArgs)
            _ = try await execute(command: "DEL", plugin: plugin, list: list, config: config, runtime: runtime)
        }
        cache.remove(network: list.name, containerID: runtime.containerID, ifName: runtime.ifName)
    }

    // MARK: - One plugin

    private func execute(command: String, plugin: JSONValue, list: CNINetworkConfigList, config: JSONValue,
                         runtime: CNIRuntimeConf) async throws -> [UInt8] {
        let type = plugin["type"]?.string ?? ""
        let executable = try CNIPluginLocator.find(type, in: pluginDirectories)
        let context = "CNI plugin \(Self.describe(plugin)) of network \"\(list.name)\" failed on \(command) for container \(runtime.containerID)"
        let output: CNIPluginProcess.Output
        do {
            output = try await CNIPluginProcess.run(
                executable, environment: runtime.environment(command: command, pluginDirectories: pluginDirectories, inherited: environment),
                input: config.jsonBytes, timeout: timeout)
        } catch let error as CNIError {
            throw error
        } catch {
            throw CNIError(.pluginFailed, "\(context): cannot start \(executable): \(error)", hint: "check that the plugin is executable")
        }
        if output.timedOut {
            throw CNIError(.pluginTimedOut, "\(context): no answer within \(timeout), killed",
                           hint: "look for a hung plugin or a stuck iptables lock on the node")
        }
        guard output.status == 0 else { throw Self.pluginFailure(context, output, source: list.source) }
        return output.stdout
    }

    /// The plugin's error object from stdout when it printed one, else its stderr (libcni's `pluginErr`).
    static func pluginFailure(_ context: String, _ output: CNIPluginProcess.Output, source: String?) -> CNIError {
        let stderr = String(decoding: output.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let configHint = source.map { "check the network configuration \($0)" } ?? "check the network configuration"
        if let parsed = try? JSONParser().parse(output.stdout), let message = parsed["msg"]?.string {
            let pluginError = CNIPluginError(code: parsed["code"]?.int ?? 0, msg: message, details: parsed["details"]?.string)
            return CNIError(.pluginFailed, "\(context): \(pluginError)", hint: configHint, pluginError: pluginError)
        }
        let stdout = String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let said = [stdout, stderr].filter { !$0.isEmpty }.joined(separator: "; ")
        return CNIError(.pluginFailed, "\(context): exit status \(output.status)" + (said.isEmpty ? " and no message" : ": \(said)"),
                        hint: configHint)
    }

    private static func describe(_ plugin: JSONValue) -> String { "\"\(plugin["type"]?.string ?? "?")\"" }

    /// The checks libcni makes before ADD, so that a bad ID fails here and not half-way through a chain.
    private static func validate(_ list: CNINetworkConfigList, _ runtime: CNIRuntimeConf) throws {
        guard CNIIdentifier.isValid(runtime.containerID) else {
            throw CNIError(.invalidArgument, "container ID \"\(runtime.containerID)\" is invalid",
                           hint: "use letters, digits, '_', '.', '-', starting with a letter or digit")
        }
        guard CNIIdentifier.isValidInterfaceName(runtime.ifName) else {
            throw CNIError(.invalidArgument, "interface name \"\(runtime.ifName)\" is invalid",
                           hint: "use at most 15 characters without '/', ':' or spaces")
        }
        try CNINetworkConfigList.validate(networkName: list.name, list.source ?? "network configuration list")
    }
}
