import Foundation
import KubeAPI
import Testing
@testable import Kubelet

struct PodStatusTests {
    static func pod(restartPolicy: String = "Always", resources: JSONValue? = nil) -> JSONValue {
        var container: JSONValue = ["name": "c", "image": "busybox"]
        if let resources { container["resources"] = resources }
        return ["metadata": ["name": "p", "namespace": "default", "uid": "u"],
                "spec": ["restartPolicy": .string(restartPolicy), "containers": [container]]]
    }

    static func builder(_ pod: JSONValue, _ containers: [ContainerObservation], inits: [ContainerObservation] = []) -> PodStatusBuilder {
        PodStatusBuilder(pod: pod, initContainers: inits, containers: containers, podIPs: ["10.244.0.5"], hostIP: "10.0.0.2",
                         startTime: KubeTime(seconds: 100), sandboxReady: true)
    }

    static let t = KubeTime(seconds: 200)

    @Test(arguments: [
        ("Always", ContainerObservation.State.running(startedAt: t), "Running"),
        ("Always", .waiting(reason: "ContainerCreating", message: nil), "Pending"),
        ("Always", .terminated(exitCode: 0, reason: "Completed", message: nil, startedAt: t, finishedAt: t), "Running"),
        ("Never", .terminated(exitCode: 0, reason: "Completed", message: nil, startedAt: t, finishedAt: t), "Succeeded"),
        ("Never", .terminated(exitCode: 1, reason: "Error", message: nil, startedAt: t, finishedAt: t), "Failed"),
        ("OnFailure", .terminated(exitCode: 1, reason: "Error", message: nil, startedAt: t, finishedAt: t), "Running"),
        ("OnFailure", .terminated(exitCode: 0, reason: "Completed", message: nil, startedAt: t, finishedAt: t), "Succeeded"),
    ])
    func phaseFollowsUpstream(policy: String, state: ContainerObservation.State, phase: String) {
        let builder = Self.builder(Self.pod(restartPolicy: policy), [ContainerObservation(name: "c", state: state, image: "busybox")])
        #expect(builder.phase == phase)
    }

    @Test func initContainersGateThePod() {
        let running = ContainerObservation(name: "c", state: .waiting(reason: "PodInitializing", message: nil), image: "busybox")
        let failedInit = ContainerObservation(name: "i", state: .terminated(exitCode: 2, reason: "Error", message: nil, startedAt: nil, finishedAt: nil), image: "busybox")
        #expect(Self.builder(Self.pod(), [running], inits: [failedInit]).phase == "Pending")
        #expect(Self.builder(Self.pod(restartPolicy: "Never"), [running], inits: [failedInit]).phase == "Failed")
    }

    @Test func readyConditionsAndStableTransitions() {
        let ready = ContainerObservation(name: "c", state: .running(startedAt: Self.t), ready: true, started: true, image: "busybox",
                                         containerID: "runc://abc")
        let first = Self.builder(Self.pod(), [ready]).status(previous: nil, now: KubeTime(seconds: 300))
        func condition(_ status: JSONValue, _ type: String) -> JSONValue? {
            status["conditions"]?.array?.first { $0["type"]?.string == type }
        }
        #expect(condition(first, "Ready")?["status"]?.string == "True")
        #expect(first["podIP"]?.string == "10.244.0.5")
        #expect(first["containerStatuses"]?[0]?["containerID"]?.string == "runc://abc")
        let again = Self.builder(Self.pod(), [ready]).status(previous: first, now: KubeTime(seconds: 400))
        #expect(again == first, "an unchanged pod produces an identical status")
        var unready = ready
        unready.ready = false
        let later = Self.builder(Self.pod(), [unready]).status(previous: first, now: KubeTime(seconds: 500))
        #expect(condition(later, "Ready")?["status"]?.string == "False")
        #expect(condition(later, "Ready")?["message"]?.string == "containers with unready status: [c]")
        #expect(condition(later, "Ready")?["lastTransitionTime"]?.string == KubeTime(seconds: 500).rfc3339)
    }

    @Test(arguments: [
        (nil as JSONValue?, "BestEffort"),
        (["requests": ["cpu": "100m"]] as JSONValue?, "Burstable"),
        (["limits": ["cpu": "1", "memory": "64Mi"]] as JSONValue?, "Guaranteed"),
        (["requests": ["cpu": "500m", "memory": "64Mi"], "limits": ["cpu": "1", "memory": "64Mi"]] as JSONValue?, "Burstable"),
    ])
    func qosClasses(resources: JSONValue?, expected: String) {
        #expect(PodStatusBuilder.qosClass(Self.pod(resources: resources)) == expected)
    }

    @Test func backoffDoublesCapsAndResets() {
        var backoff = RestartBackoff()
        let now = Date()
        let delays = (0..<7).map { _ in backoff.nextDelay(for: "u/c", startedAt: now, finishedAt: now.addingTimeInterval(1)) }
        #expect(delays == [10, 20, 40, 80, 160, 300, 300])
        #expect(backoff.nextDelay(for: "u/c", startedAt: now, finishedAt: now.addingTimeInterval(601)) == 10)
        backoff.forget(prefix: "u/")
        #expect(backoff.nextDelay(for: "u/c", startedAt: nil, finishedAt: now) == 10)
    }
}
