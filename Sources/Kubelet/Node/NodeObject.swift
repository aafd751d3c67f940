import KubeAPI
import Manifests

/// The Node this kubelet registers and the status it reports, built from the machine and the configuration.
public struct NodeObject: Sendable {
    public var name: String
    public var hostname: String
    public var internalIP: String
    public var machine: MachineInfo
    public var maxPods: Int
    public var podCIDR: String
    public var labels: [String: String]
    public var taints: [JSONValue]

    public init(name: String, hostname: String, internalIP: String, machine: MachineInfo, maxPods: Int, podCIDR: String = "",
                labels: [String: String] = [:], taints: [JSONValue] = []) {
        self.name = name; self.hostname = hostname; self.internalIP = internalIP; self.machine = machine
        self.maxPods = maxPods; self.podCIDR = podCIDR; self.labels = labels; self.taints = taints
    }

    /// The object created at registration: well-known labels, taints, and a full status.
    public func registration(now: KubeTime) -> JSONValue {
        var allLabels: JSONObject = [
            "beta.kubernetes.io/arch": .string(machine.architecture), "beta.kubernetes.io/os": "linux",
            "kubernetes.io/arch": .string(machine.architecture), "kubernetes.io/hostname": .string(hostname),
            "kubernetes.io/os": "linux",
        ]
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) { allLabels[key] = .string(value) }
        var spec: JSONValue = .emptyObject
        if !taints.isEmpty { spec["taints"] = .array(taints) }
        if !podCIDR.isEmpty {
            spec["podCIDR"] = .string(podCIDR)
            spec["podCIDRs"] = [.string(podCIDR)]
        }
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "labels": .object(allLabels),
                         "annotations": ["volumes.kubernetes.io/controller-managed-attach-detach": "true"]],
            "spec": spec,
            "status": status(ready: true, reason: "KubeletReady", message: "kubelet is posting ready status", now: now, previous: nil),
        ]
    }

    /// The status section. Condition transition times are kept from `previous` when a condition's status did not
    /// change, so watchers see a change only when something changed.
    public func status(ready: Bool, reason: String, message: String, now: KubeTime, previous: JSONValue?) -> JSONValue {
        let capacity: JSONValue = [
            "cpu": .string(String(machine.cpuCores)), "memory": .string("\(machine.memoryBytes / 1024)Ki"),
            "pods": .string(String(maxPods)), "ephemeral-storage": .string("\(machine.ephemeralStorageBytes / 1024)Ki"),
            "hugepages-2Mi": "0", "hugepages-1Gi": "0",
        ]
        let time = JSONValue.string(now.rfc3339)
        func condition(_ type: String, _ status: Bool, _ reason: String, _ message: String) -> JSONValue {
            let value = status ? "True" : "False"
            let before = previous?["conditions"]?.array?.first { $0["type"]?.string == type }
            let transition = before?["status"]?.string == value ? (before?["lastTransitionTime"] ?? time) : time
            return ["type": .string(type), "status": .string(value), "lastHeartbeatTime": time,
                    "lastTransitionTime": transition, "reason": .string(reason), "message": .string(message)]
        }
        return [
            "capacity": capacity, "allocatable": capacity,
            "conditions": [
                condition("MemoryPressure", false, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                condition("DiskPressure", false, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", false, "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", ready, reason, message),
            ],
            "addresses": [["type": "InternalIP", "address": .string(internalIP)], ["type": "Hostname", "address": .string(hostname)]],
            "daemonEndpoints": ["kubeletEndpoint": ["Port": .integer(Int64(WellKnown.kubeletPort))]],
            "nodeInfo": [
                "machineID": .string(machine.machineID), "systemUUID": .string(machine.machineID), "bootID": .string(machine.bootID),
                "kernelVersion": .string(machine.kernelVersion), "osImage": .string(machine.osImage),
                "containerRuntimeVersion": .string(machine.containerRuntimeVersion),
                "kubeletVersion": .string(WellKnown.kubernetesVersion), "kubeProxyVersion": .string(WellKnown.kubernetesVersion),
                "operatingSystem": "linux", "architecture": .string(machine.architecture),
            ],
        ]
    }

    /// The node's Lease in kube-node-lease, renewed every `renewInterval` (upstream: 10 s, duration 40 s).
    public func lease(durationSeconds: Int, now: KubeTime, holder: String? = nil) -> JSONValue {
        [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": .string(name), "namespace": "kube-node-lease"],
            "spec": ["holderIdentity": .string(holder ?? name), "leaseDurationSeconds": .integer(Int64(durationSeconds)),
                     "renewTime": .string(now.rfc3339Micro)],
        ]
    }
}
