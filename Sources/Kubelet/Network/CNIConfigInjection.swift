import KubeAPI

/// Builds the configuration one plugin of a list receives on stdin, as libcni's `buildOneConfig` and
/// `injectRuntimeConfig` do.
enum CNIConfigInjection {
    /// The plugin's configuration with the list's `name` and `cniVersion`, the previous plugin's result as
    /// `prevResult`, and `runtimeConfig` holding those capability arguments the plugin declares in `capabilities`.
    ///
    /// Capabilities are opt-in per plugin so that, say, bridge never sees port mappings it does not understand;
    /// `runtimeConfig` is replaced whole, as libcni does, rather than merged with one written in the file.
    /// - Parameters:
    ///   - plugin: the plugin's configuration from the list.
    ///   - list: the list the plugin belongs to.
    ///   - prevResult: the previous plugin's ADD result, or the cached result on DEL; nil for none.
    ///   - capabilityArgs: the runtime's capability arguments.
    static func pluginConfig(_ plugin: JSONValue, in list: CNINetworkConfigList, prevResult: JSONValue?,
                             capabilityArgs: JSONObject) -> JSONValue {
        var config = plugin
        config["name"] = .string(list.name)
        config["cniVersion"] = .string(list.cniVersion)
        if let prevResult { config["prevResult"] = prevResult }
        var runtimeConfig = JSONObject()
        for (capability, enabled) in plugin["capabilities"]?.object ?? [:] where enabled.bool == true {
            if let value = capabilityArgs[capability] { runtimeConfig[capability] = value }
        }
        if !runtimeConfig.isEmpty { config["runtimeConfig"] = .object(runtimeConfig) }
        return config
    }
}
