import Foundation
import Testing

/// The pod-level controllers of the real `kube-controller-manager`: `podgc` keeps terminated pods under
/// `--terminated-pod-gc-threshold`, `disruption` keeps PodDisruptionBudget status current.
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
}
