/// How a container's argv and environment come from its image and its pod spec.
public enum ContainerCommand {
    /// The PATH a container gets when neither the image nor the pod sets one (containerd's default).
    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The process argv by Kubernetes' rules: `command` replaces the image's `Entrypoint`, `args` replaces its
    /// `Cmd`, and when `command` is given the image's `Cmd` is ignored. `$(VAR)` references in the pod's command
    /// and args are expanded against `environment` first (the image's own fields are taken literally).
    /// - Parameters:
    ///   - command: the container's `command` (`nil` or empty when unset).
    ///   - args: the container's `args`.
    ///   - imageEntrypoint: the image config's `Entrypoint`.
    ///   - imageCmd: the image config's `Cmd`.
    ///   - environment: the pod-defined environment, `KEY=VALUE` (the kubelet's view: the image's `Env` is not
    ///     visible to `$(VAR)` references upstream either).
    /// - Throws: `RuntimeError.invalidSpec` when the result is empty ("no command specified").
    public static func resolve(
        command: [String]?, args: [String]?, imageEntrypoint: [String], imageCmd: [String],
        environment: [String] = []
    ) throws -> [String] {
        let values = environmentDictionary(environment)
        let expand: (String) -> String = { VariableExpansion.expand($0) { values[$0] } }
        var head = (command ?? []).map(expand)
        var tail = (args ?? []).map(expand)
        if head.isEmpty {
            if tail.isEmpty { tail = imageCmd }
            // An `Entrypoint` of [""] is how an image says "no entrypoint" (Docker's `ENTRYPOINT []` leftovers).
            head = imageEntrypoint == [""] ? [] : imageEntrypoint
        }
        let argv = head + tail
        guard !argv.isEmpty else { throw RuntimeError(.invalidSpec, "no command specified") }
        return argv
    }

    /// The container environment: the image's `Env`, overridden key by key by the pod's `env` (in which `$(VAR)`
    /// refers to pod variables defined earlier, never to the image's), with a default PATH when nobody sets one.
    /// Keys keep the position of their first definition, as containerd's `WithEnv` does.
    /// - Parameters:
    ///   - image: the image config's `Env`, `KEY=VALUE`.
    ///   - container: the pod's resolved `env` entries in order (`valueFrom` already looked up by the kubelet).
    public static func mergeEnvironment(image: [String], container: [(name: String, value: String)]) -> [String] {
        var order: [String] = []
        var values: [String: String] = [:]
        func set(_ key: String, _ value: String) {
            if values.updateValue(value, forKey: key) == nil { order.append(key) }
        }
        for entry in image {
            let (key, value) = split(entry)
            set(key, value)
        }
        var podValues: [String: String] = [:]
        for (name, value) in container {
            let expanded = VariableExpansion.expand(value) { podValues[$0] }
            podValues[name] = expanded
            set(name, expanded)
        }
        if values["PATH"] == nil {
            order.insert("PATH", at: 0)
            values["PATH"] = defaultPath
        }
        return order.map { "\($0)=\(values[$0] ?? "")" }
    }

    /// `KEY=VALUE` entries as a dictionary; a later entry for a key wins.
    static func environmentDictionary(_ environment: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for entry in environment {
            let (key, value) = split(entry)
            values[key] = value
        }
        return values
    }

    private static func split(_ entry: String) -> (String, String) {
        guard let equals = entry.firstIndex(of: "=") else { return (entry, "") }
        return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
    }
}
