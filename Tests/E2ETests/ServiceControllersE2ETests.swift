import Foundation
import Testing

/// The Service and namespace controllers of the real `kube-controller-manager`: `endpoints` and `endpointslice`
/// follow the pods a Service selects as their IPs and readiness are reported through the status subresource; a
/// deleted namespace is emptied and then removed.
@Suite(.serialized, .enabled(if: Harness.which("kubectl") && Harness.which("openssl"), "needs kubectl and openssl"))
struct ServiceControllersE2ETests {
    @Test(.timeLimit(.minutes(3))) func endpointsAndSlicesFollowPods() throws {
        let cluster = try ControllerManagerFixture()
        defer { cluster.stop() }
        try cluster.create("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: default}
            spec:
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: http}, {name: metrics, port: 9090, targetPort: 9090}]
            """)
        for (name, ip, ready) in [("web-1", "10.244.0.11", "True"), ("web-2", "10.244.0.12", "False")] {
            try cluster.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: \(name), namespace: default, labels: {app: web}}
                spec: {nodeName: node-a, containers: [{name: c, image: busybox, ports: [{name: http, containerPort: 8080}]}]}
                """)
            let status = "{\"status\":{\"phase\":\"Running\",\"podIP\":\"\(ip)\",\"podIPs\":[{\"ip\":\"\(ip)\"}],"
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"\(ready)\"}]}}"
            let patched = try cluster.kubectl("patch", "pod", name, "--subresource=status", "--type=merge", "-p", status)
            #expect(patched.status == 0, "\(patched.combined)")
        }
        let endpoints = {
            try cluster.output("get", "endpoints", "web", "-o",
                               "jsonpath={.subsets[0].addresses[*].ip}|{.subsets[0].notReadyAddresses[*].ip}|{.subsets[0].ports[*].port}")
        }
        #expect(try cluster.eventually { try endpoints() == "10.244.0.11|10.244.0.12|8080 9090" || endpoints() == "10.244.0.11|10.244.0.12|9090 8080" },
                "endpoints: \(cluster.show("get", "endpoints", "web", "-o", "yaml")); log: \(cluster.logText)")
        let slice = {
            try cluster.output("get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o",
                               "jsonpath={range .items[*].endpoints[*]}{.addresses[0]}={.conditions.ready};{end}")
        }
        #expect(try cluster.eventually { try slice() == "10.244.0.11=true;10.244.0.12=false;" },
                "slices: \(cluster.show("get", "endpointslices", "-o", "yaml")); log: \(cluster.logText)")
        let slicePorts = try cluster.output("get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o",
                                            "jsonpath={range .items[0].ports[*]}{.name}:{.port} {end}")
        #expect(Set(slicePorts.split(separator: " ")) == ["http:8080", "metrics:9090"])
        #expect(try cluster.output("get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o", "name").split(separator: "\n").count == 1)

        // The second pod becomes ready; the first goes away.
        #expect(try cluster.kubectl("patch", "pod", "web-2", "--subresource=status", "--type=merge", "-p",
                                    "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}").status == 0)
        #expect(try cluster.kubectl("delete", "pod", "web-1", "--grace-period=0", "--force").status == 0)
        #expect(try cluster.eventually { try endpoints().hasPrefix("10.244.0.12||") && slice() == "10.244.0.12=true;" },
                "endpoints: \((try? endpoints()) ?? ""), slices: \((try? slice()) ?? ""); log: \(cluster.logText)")
    }

    @Test(.timeLimit(.minutes(3))) func deletedNamespaceIsEmptiedAndRemoved() throws {
        let cluster = try ControllerManagerFixture()
        defer { cluster.stop() }
        try cluster.create("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: doomed}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: doomed}
            data: {a: b}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: password, namespace: doomed}
            stringData: {p: q}
            ---

            """ + ControllerManagerFixture.deployment("app", namespace: "doomed", replicas: 1))
        #expect(try cluster.eventually { try cluster.output("get", "pods", "-n", "doomed", "-o", "name").count > 0 })
        #expect(try cluster.kubectl("delete", "namespace", "doomed", "--wait=false").status == 0)
        #expect(try cluster.eventually { try cluster.kubectl("get", "namespace", "doomed").status != 0 },
                "namespace: \(cluster.show("get", "namespace", "doomed", "-o", "yaml")); log: \(cluster.logText)")
        #expect(try cluster.output("get", "configmaps,secrets,deployments,replicasets,pods", "-n", "doomed", "-o", "name").isEmpty)
    }
}
