import Foundation

/// Upstream's `ValidatePodSpec`, the parts every stored pod and pod template needs.
enum PodSpecValidation {
    static let restartPolicies = ["Always", "OnFailure", "Never"]
    static let dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
    static let protocols = ["TCP", "UDP", "SCTP"]
    static let pullPolicies = ["Always", "IfNotPresent", "Never"]

    /// - Parameters:
    ///   - claimTemplates: volume names a StatefulSet's `volumeClaimTemplates` add to every pod, which mounts may use.
    static func validate(_ spec: JSONValue?, path: String, allowedRestartPolicies: [String] = restartPolicies,
                         claimTemplates: Set<String> = []) -> [FieldError] {
        guard let spec, !spec.isNull else { return [.required(path)] }
        var errors: [FieldError] = []
        var volumeNames = Set<String>()
        for (index, volume) in (spec["volumes"]?.array ?? []).enumerated() {
            let name = volume["name"]?.string ?? ""
            let at = "\(path).volumes[\(index)].name"
            if name.isEmpty { errors.append(.required(at)) }
            else if !NameValidation.isDNS1123Label(name) { errors.append(.invalid(at, name, NameValidation.dns1123LabelRule)) }
            else if !volumeNames.insert(name).inserted { errors.append(.duplicate(at, name)) }
        }
        volumeNames.formUnion(claimTemplates)
        let containers = spec["containers"]?.array ?? []
        if containers.isEmpty { errors.append(.required("\(path).containers")) }
        var containerNames = Set<String>()
        for list in ["initContainers", "containers"] {
            for (index, container) in (spec[list]?.array ?? []).enumerated() {
                errors += validateContainer(container, path: "\(path).\(list)[\(index)]", names: &containerNames, volumes: volumeNames)
            }
        }
        if let policy = spec["restartPolicy"]?.string, !allowedRestartPolicies.contains(policy) {
            errors.append(.notSupported("\(path).restartPolicy", policy, allowedRestartPolicies))
        }
        if let policy = spec["dnsPolicy"]?.string, !dnsPolicies.contains(policy) {
            errors.append(.notSupported("\(path).dnsPolicy", policy, dnsPolicies))
        }
        if let grace = spec["terminationGracePeriodSeconds"]?.int64, grace < 0 {
            errors.append(.invalid("\(path).terminationGracePeriodSeconds", "\(grace)", "must be greater than or equal to 0"))
        }
        if let node = spec["nodeName"]?.string, !node.isEmpty, !NameValidation.isDNS1123Subdomain(node) {
            errors.append(.invalid("\(path).nodeName", node, NameValidation.dns1123SubdomainRule))
        }
        return errors
    }

    static func validateContainer(_ container: JSONValue, path: String, names: inout Set<String>, volumes: Set<String>) -> [FieldError] {
        var errors: [FieldError] = []
        let name = container["name"]?.string ?? ""
        if name.isEmpty { errors.append(.required("\(path).name")) }
        else if !NameValidation.isDNS1123Label(name) { errors.append(.invalid("\(path).name", name, NameValidation.dns1123LabelRule)) }
        else if !names.insert(name).inserted { errors.append(.duplicate("\(path).name", name)) }
        if (container["image"]?.string ?? "").trimmingCharacters(in: .whitespaces).isEmpty { errors.append(.required("\(path).image")) }
        if let policy = container["imagePullPolicy"]?.string, !pullPolicies.contains(policy) {
            errors.append(.notSupported("\(path).imagePullPolicy", policy, pullPolicies))
        }
        for (index, port) in (container["ports"]?.array ?? []).enumerated() {
            let at = "\(path).ports[\(index)]"
            let number = port["containerPort"]?.int64 ?? 0
            if port["containerPort"] == nil { errors.append(.required("\(at).containerPort")) }
            else if !(1...65535).contains(number) {
                errors.append(.invalid("\(at).containerPort", "\(number)", "must be between 1 and 65535, inclusive"))
            }
            if let proto = port["protocol"]?.string, !protocols.contains(proto) {
                errors.append(.notSupported("\(at).protocol", proto, protocols))
            }
        }
        for (index, mount) in (container["volumeMounts"]?.array ?? []).enumerated() {
            let volume = mount["name"]?.string ?? ""
            if volume.isEmpty { errors.append(.required("\(path).volumeMounts[\(index)].name")) }
            else if !volumes.contains(volume) { errors.append(.notFound("\(path).volumeMounts[\(index)].name", volume)) }
            if (mount["mountPath"]?.string ?? "").isEmpty { errors.append(.required("\(path).volumeMounts[\(index)].mountPath")) }
        }
        return errors
    }
}
