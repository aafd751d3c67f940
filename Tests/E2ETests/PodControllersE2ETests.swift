import Foundation
import Testing

/// The pod-level controllers of the real `kube-controller-manager`: `podgc` keeps terminated pods under
/// `--terminated-pod-gc-threshold` and collects pods of deleted nodes (after upstream's 40 s quarantine),
/// `disruption` keeps PodDisruptionBudget status current.
@Suite(.serialized, .enabled(if: Harness.which("kubectl") && Harness.which("openssl"), "needs kubectl and openssl"))
struct PodControllersE2ETests {
    @Test(.timeLimit(.minutes(3))) func podGCAndDisruptionBudgets() throws {
        let cluster = try ControllerManagerFixture(extraArgs: ["--terminated-pod-gc-threshold=1"])
        defer { cluster.stop() }
        for name in ["done-1", "done-2", "done-3"] {
            try cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: \(name), namespace: default, labels: {job: done}}
                spec: {containers: [{name: c, image: busybox}]}
                """)
            Thread.sleep(forTimeInterval: 1.1)  // distinct creation timestamps: the oldest go first
            #expect(try cluster.kubectl("patch", "pod", name, "--subresource=status", "--type=merge", "-p",
                                        "{\"status\":{\"phase\":\"Succeeded\"}}").status == 0)
        }
        #expect(try cluster.eventually { try cluster.output("get", "pods", "-l", "job=done", "-o", "name") == "pod/done-3" },
                "pods: \(cluster.show("get", "pods", "-l", "job=done")); log: \(cluster.logText)")

        try cluster.create(ControllerManagerFixture.deployment("web", replicas: 3) + """

            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web, namespace: default}
            spec:
              maxUnavailable: 1
              selector: {matchLabels: {app: web}}
            """)
        let status = {
            try cluster.output("get", "pdb", "web", "-o",
                               "jsonpath={.status.expectedPods}/{.status.desiredHealthy}/{.status.currentHealthy}/{.status.disruptionsAllowed}")
        }
        #expect(try cluster.eventually { try status() == "3/2/0/0" }, "status: \((try? status()) ?? ""); log: \(cluster.logText)")
        let pods = try cluster.output("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.name}").split(separator: " ")
        for pod in pods {
            #expect(try cluster.kubectl("patch", "pod", String(pod), "--subresource=status", "--type=merge", "-p",
                                        "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}").status == 0)
        }
        #expect(try cluster.eventually { try status() == "3/2/3/1" }, "status: \((try? status()) ?? ""); log: \(cluster.logText)")
    }

    @Test(.timeLimit(.minutes(3))) func podsOfDeletedNodesAreCollected() throws {
        // No kubelet heartbeats here: node lifecycle must not evict the pod on the kept node meanwhile.
        let cluster = try ControllerManagerFixture(extraArgs: ["--node-monitor-grace-period=5m"])
        defer { cluster.stop() }
        try cluster.createReadyNode("kept")
        try cluster.createReadyNode("removed")
        for (pod, node) in [("on-kept", "kept"), ("on-removed", "removed")] {
            try cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: \(pod), namespace: default}
                spec: {nodeName: \(node), containers: [{name: c, image: busybox}]}
                """)
        }
        #expect(try cluster.kubectl("delete", "node", "removed").status == 0)
        let started = Date()
        #expect(try cluster.eventually(90) { try cluster.kubectl("get", "pod", "on-removed").status != 0 },
                "pod: \(cluster.show("get", "pod", "on-removed", "-o", "yaml")); log: \(cluster.logText)")
        #expect(Date().timeIntervalSince(started) >= 39, "quarantined for 40 s first")
        #expect(try cluster.output("get", "pod", "on-kept", "-o", "jsonpath={.metadata.name}:{.metadata.deletionTimestamp}") == "on-kept:")
    }
}
