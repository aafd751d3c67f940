import Synchronization
import Testing
@testable import Bootstrap

/// Records which phases ran, so the runner can be tested without any kubeadm logic.
final class Trace: Sendable {
    let ran = Mutex<[String]>([])
    func add(_ name: String) { ran.withLock { $0.append(name) } }
    var all: [String] { ran.withLock { $0 } }
}

struct Toy: Sendable {
    var trace: Trace
    var withEtcd: Bool
}

@Suite struct WorkflowTests {
    static func phase(_ name: String, children: [Phase<Toy>] = [], runIf: Phase<Toy>.Condition? = nil) -> Phase<Toy> {
        Phase(name, "does \(name)", children: children, runAllSiblings: !children.isEmpty, runIf: runIf) { $0.trace.add(name) }
    }

    let workflow = Workflow<Toy>(name: "init", phases: [
        phase("preflight"),
        phase("certs", children: [phase("ca"), phase("apiserver"), phase("etcd-ca", runIf: .init { $0.withEtcd })]),
        phase("kubeconfig", children: [phase("admin"), phase("kubelet")]),
        Phase("boom", "fails") { _ in throw NotBuiltError(what: "boom", arrivesWith: "later") },
    ])

    @Test func pathsAreParentsBeforeChildren() {
        #expect(workflow.paths == ["preflight", "certs", "certs/ca", "certs/apiserver", "certs/etcd-ca", "kubeconfig",
                                   "kubeconfig/admin", "kubeconfig/kubelet", "boom"])
    }

    @Test func runsInOrderAndWrapsFailuresWithThePath() async throws {
        let data = Toy(trace: Trace(), withEtcd: false)
        let error = await #expect(throws: PhaseError.self) { try await workflow.run(data) }
        #expect(error?.path == "boom")
        #expect(error?.description.hasPrefix("error execution phase boom: ") == true)
        #expect(data.trace.all == ["preflight", "certs", "ca", "apiserver", "kubeconfig", "admin", "kubelet"])
    }

    @Test func skippingAParentSkipsItsSubtree() async throws {
        let data = Toy(trace: Trace(), withEtcd: true)
        try await workflow.run(data, skipping: ["certs", "boom", "kubeconfig/kubelet"])
        #expect(data.trace.all == ["preflight", "kubeconfig", "admin"])
    }

    @Test func singlePhaseSelection() async throws {
        #expect(try workflow.path(for: ["certs", "all"]) == "certs")
        #expect(try workflow.path(for: ["certs", "apiserver"]) == "certs/apiserver")
        #expect(throws: WorkflowUsageError.self) { try workflow.path(for: ["certs", "nope"]) }
        let data = Toy(trace: Trace(), withEtcd: true)
        try await workflow.run(data, only: "certs")
        #expect(data.trace.all == ["certs", "ca", "apiserver", "etcd-ca"])
    }

    @Test func unknownSkipsAreRejectedBeforeAnythingRuns() async {
        let data = Toy(trace: Trace(), withEtcd: true)
        let error = await #expect(throws: WorkflowUsageError.self) { try await workflow.run(data, skipping: ["certz"]) }
        #expect(error?.description.contains("certz") == true)
        #expect(data.trace.all.isEmpty)
    }

    @Test func helpListsTheTree() {
        let help = workflow.help()
        #expect(help.contains("preflight"))
        #expect(help.contains("  /apiserver"))
        #expect(help.contains("  /all"))
    }
}
