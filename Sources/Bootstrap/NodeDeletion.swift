import Foundation
import KubeAPI
import KubeClient
import Kubelet
import Manifests

/// reset's first step: delete this node's Node object while credentials still exist (admin.conf on a control
/// plane, else kubelet.conf), so the cluster stops scheduling to it. Best effort with a short deadline: reset must
/// also work when the API server is gone.
enum NodeDeletion {
    /// Returns the line to print, or nil when there was nothing to try.
    static func run(kubeconfigDir: String, kubeletConfig: String) async -> String? {
        let candidates = [kubeconfigDir + "/admin.conf", kubeconfigDir + "/kubelet.conf"]
        guard let kubeconfig = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return nil }
        let nodeName = KubeletMain.nodeName(KubeletOptions())
        guard let client = try? RESTClient(kubeconfig: kubeconfig, component: "kubeadm-swift"),
              let nodes = ResourceTable.resource(group: "", version: "v1", plural: "nodes") else { return nil }
        defer { Task { await client.shutdown() } }
        let outcome: String = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    try await client.delete(nodes, name: nodeName)
                    return "[reset] Deleted the Node \"\(nodeName)\" from the cluster"
                } catch let error as KubeClientError where error.isNotFound {
                    return "[reset] The Node \"\(nodeName)\" was not registered in the cluster"
                } catch {
                    return "[reset] WARNING: could not delete the Node \"\(nodeName)\" (\(error)); delete it with 'kubectl delete node \(nodeName)'"
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(5))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? "[reset] WARNING: the API server did not answer within 5s; delete the Node \"\(nodeName)\" with 'kubectl delete node \(nodeName)' if the cluster still lists it"
        }
        return outcome
    }
}

/// The kubelet's cgroupRoot from its config file ("/" when unset or unreadable).
enum KubeletCgroupRoot {
    static func read(configFile: String) -> String {
        guard FileManager.default.fileExists(atPath: configFile),
              let config = try? KubeletConfiguration(file: configFile), !config.cgroupRoot.isEmpty else { return "/" }
        return config.cgroupRoot
    }
}
