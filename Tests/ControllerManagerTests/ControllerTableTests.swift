import Testing
@testable import ControllerManager

struct ControllerTableTests {
    /// Upstream's `--controllers` names and the ServiceAccounts (`system:controller:<name>` subjects) they write as.
    static let upstream: [(controller: String, serviceAccount: String)] = [
        ("daemonset", "daemon-set-controller"), ("garbagecollector", "generic-garbage-collector"), ("endpoint", "endpoint-controller"),
        ("endpointslice", "endpointslice-controller"), ("namespace", "namespace-controller"), ("podgc", "pod-garbage-collector"),
        ("disruption", "disruption-controller"), ("nodeipam", "node-controller"), ("nodelifecycle", "node-controller"),
        ("bootstrapsigner", "bootstrap-signer"), ("tokencleaner", "token-cleaner"), ("replicaset", "replicaset-controller"),
        ("deployment", "deployment-controller"), ("serviceaccount", "service-account-controller"),
        ("csrsigning", "certificate-controller"), ("job", "job-controller"), ("cronjob", "cronjob-controller"),
        ("ttl-after-finished", "ttl-after-finished-controller"),
    ]

    @Test func everyControllerHasItsUpstreamNameAndAccount() throws {
        for (controller, account) in Self.upstream {
            let row = try #require(ControllerTable.all.first { $0.names.contains(controller) }, "\(controller) is not in the table")
            #expect(row.serviceAccounts.contains(account), "\(controller) writes as \(row.serviceAccounts)")
        }
    }

    @Test func kubeadmsControllerFlagEnablesTheTokenControllersToo() throws {
        let defaults = try KubeControllerManager.Options.parse(["--kubeconfig=/k"])
        let kubeadm = try KubeControllerManager.Options.parse(["--kubeconfig=/k", "--controllers=*,bootstrapsigner,tokencleaner,-podgc"])
        #expect(!ControllerTable.enabled(defaults).contains { $0.names.contains("bootstrapsigner") })
        let names = ControllerTable.enabled(kubeadm).flatMap(\.names)
        #expect(names.contains("bootstrapsigner") && names.contains("tokencleaner") && names.contains("daemonset"))
        #expect(!names.contains("podgc"))
    }
}
