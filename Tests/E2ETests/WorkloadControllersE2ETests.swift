import Foundation
import Testing

/// The workload controllers of the real `kube-controller-manager` against the real API server: DaemonSets follow the
/// nodes, and the garbage collector cascades deletions through owner references.
@Suite(.serialized, .enabled(if: Harness.which("kubectl") && Harness.which("openssl"), "needs kubectl and openssl"))
struct WorkloadControllersE2ETests {
    @Test(.timeLimit(.minutes(3))) func daemonSetRunsOnePodPerNode() throws {
        let cluster = try ControllerManagerFixture()
        defer { cluster.stop() }
        try cluster.createReadyNode("node-a")
        try cluster.createReadyNode("node-b")
        try cluster.create("""
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: default}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec: {containers: [{name: c, image: busybox}]}
            """)
        let podNodes = {
            try cluster.output("get", "pods", "-l", "app=agent", "-o",
                               "jsonpath={range .items[*]}{.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]}{\"\\n\"}{end}")
                .split(separator: "\n").map(String.init).sorted()
        }
        #expect(try cluster.eventually { try podNodes() == ["node-a", "node-b"] }, "pods on \((try? podNodes()) ?? []); log: \(cluster.logText)")
        let tolerations = try cluster.output("get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[0].spec.tolerations[*].key}")
        #expect(tolerations.contains("node.kubernetes.io/unreachable") && tolerations.contains("node.kubernetes.io/not-ready"))
        #expect(try cluster.eventually {
            try cluster.output("get", "ds", "agent", "-o", "jsonpath={.status.desiredNumberScheduled}/{.status.currentNumberScheduled}/{.status.observedGeneration}") == "2/2/1"
        }, "status: \(cluster.show("get", "ds", "agent", "-o", "jsonpath={.status}"))")

        // Once the kubelets report the pods running and ready, `kubectl rollout status` sees the rollout done.
        /// What the kubelets would report: every daemon pod running and ready.
        func reportPodsReady() throws {
            for pod in try cluster.output("get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].metadata.name}").split(separator: " ") {
                _ = try cluster.kubectl("patch", "pod", String(pod), "--subresource=status", "--type=merge", "-p",
                                        "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}")
            }
        }
        try reportPodsReady()
        let rollout = try cluster.kubectl("rollout", "status", "ds/agent", "--timeout=30s")
        #expect(rollout.status == 0 && rollout.stdout.contains("successfully rolled out"), "\(rollout.combined)")

        // A template change rolls through the nodes one at a time (maxUnavailable 1) as the new pods become ready.
        #expect(try cluster.kubectl("set", "image", "ds/agent", "c=busybox:1.36").status == 0)
        let images = { try cluster.output("get", "pods", "-l", "app=agent", "-o", "jsonpath={.items[*].spec.containers[0].image}") }
        #expect(try cluster.eventually {
            try reportPodsReady()
            return try images() == "busybox:1.36 busybox:1.36"
        }, "images: \((try? images()) ?? ""); log: \(cluster.logText)")
        try reportPodsReady()
        let updated = try cluster.kubectl("rollout", "status", "ds/agent", "--timeout=30s")
        #expect(updated.status == 0, "\(updated.combined)")

        try cluster.createReadyNode("node-c")
        #expect(try cluster.eventually { try podNodes() == ["node-a", "node-b", "node-c"] }, "pods on \((try? podNodes()) ?? [])")

        #expect(try cluster.kubectl("delete", "node", "node-b").status == 0)
        #expect(try cluster.eventually { try podNodes() == ["node-a", "node-c"] }, "pods on \((try? podNodes()) ?? []); log: \(cluster.logText)")
        #expect(try cluster.eventually {
            try cluster.output("get", "ds", "agent", "-o", "jsonpath={.status.desiredNumberScheduled}") == "2"
        })
    }

    @Test(.timeLimit(.minutes(3))) func garbageCollectorCascadesAndOrphans() throws {
        let cluster = try ControllerManagerFixture()
        defer { cluster.stop() }
        let count = { (kind: String, app: String) -> Int in
            try cluster.output("get", kind, "-l", "app=\(app)", "-o", "name").split(separator: "\n").count
        }
        for name in ["background", "foreground", "orphan"] {
            try cluster.create(ControllerManagerFixture.deployment(name))
            #expect(try cluster.eventually { try count("rs", name) == 1 && count("pods", name) == 2 }, "log: \(cluster.logText)")
        }

        // The deployment controller records what it did, as `kubectl describe deployment` shows.
        let reasons = try cluster.output("get", "events", "-o", "jsonpath={range .items[*]}{.involvedObject.kind}/{.reason}:{.source.component} {end}")
        #expect(reasons.contains("Deployment/ScalingReplicaSet:deployment-controller"), "events: \(reasons)")

        #expect(try cluster.kubectl("delete", "deployment", "background").status == 0)
        #expect(try cluster.eventually { try count("rs", "background") == 0 && count("pods", "background") == 0 },
                "left: \(cluster.show("get", "rs,pods", "-l", "app=background")); log: \(cluster.logText)")

        #expect(try cluster.kubectl("delete", "deployment", "foreground", "--cascade=foreground", "--wait=false").status == 0)
        #expect(try cluster.eventually {
            try count("rs", "foreground") == 0 && count("pods", "foreground") == 0
                && cluster.kubectl("get", "deployment", "foreground").status != 0
        }, "left: \(cluster.show("get", "deploy,rs,pods", "-l", "app=foreground", "-o", "yaml")); log: \(cluster.logText)")

        #expect(try cluster.kubectl("delete", "deployment", "orphan", "--cascade=orphan").status == 0)
        #expect(try cluster.eventually { try cluster.kubectl("get", "deployment", "orphan").status != 0 })
        #expect(try cluster.eventually {
            try count("rs", "orphan") == 1
                && ["", "[]"].contains(cluster.output("get", "rs", "-l", "app=orphan", "-o", "jsonpath={.items[0].metadata.ownerReferences}"))
        }, "rs: \(cluster.show("get", "rs", "-l", "app=orphan", "-o", "yaml"))")
        Thread.sleep(forTimeInterval: 1)
        #expect(try count("pods", "orphan") == 2)
    }
}
