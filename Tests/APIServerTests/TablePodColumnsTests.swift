import KubeAPI
import Testing
@testable import APIServer

@Suite("Table pod columns")
struct TablePodColumnsTests {
    static func pod(_ status: JSONValue, spec: JSONValue? = nil, age: Int64 = 600) -> JSONValue {
        TableFixture.object("p", age: age, [
            "spec": spec ?? ["containers": [["name": "a", "image": "nginx"], ["name": "b", "image": "busybox"]]],
            "status": status,
        ])
    }

    static func running(_ name: String, ready: Bool = true, restarts: Int64 = 0, lastFinished: Int64? = nil) -> JSONValue {
        var status: JSONValue = ["name": .string(name), "ready": .bool(ready), "restartCount": .integer(restarts),
                                 "state": ["running": ["startedAt": TableFixture.ago(60)]]]
        if let lastFinished {
            status["lastState"] = ["terminated": ["exitCode": 1, "finishedAt": TableFixture.ago(lastFinished)]]
        }
        return status
    }

    /// READY, STATUS, RESTARTS of a pod.
    static func summary(_ pod: JSONValue) throws -> [JSONValue] {
        Array(try TableFixture.cells("pods", pod)[1...3])
    }

    @Test func runningAndPartlyReady() throws {
        let pod = Self.pod(["phase": "Running", "containerStatuses": [Self.running("a"), Self.running("b", ready: false)],
                            "conditions": [["type": "Ready", "status": "False"]]])
        #expect(try Self.summary(pod) == ["1/2", "Running", "0"])
        #expect(try TableFixture.cells("pods", pod)[4] == "10m")
    }

    @Test func restartsWithLastTerminationAge() throws {
        let pod = Self.pod(["phase": "Running", "containerStatuses": [
            Self.running("a", restarts: 3, lastFinished: 3600), Self.running("b", restarts: 2, lastFinished: 300),
        ]])
        #expect(try Self.summary(pod) == ["2/2", "Running", "5 (5m ago)"])
        let noDate = Self.pod(["phase": "Running", "containerStatuses": [Self.running("a", restarts: 4), Self.running("b")]])
        #expect(try Self.summary(noDate)[2] == "4")
    }

    @Test func waitingAndTerminatedReasons() throws {
        let crash = Self.pod(["phase": "Running", "containerStatuses": [
            ["name": "a", "ready": false, "restartCount": 5,
             "state": ["waiting": ["reason": "CrashLoopBackOff"]],
             "lastState": ["terminated": ["exitCode": 1, "finishedAt": TableFixture.ago(30)]]],
            Self.running("b"),
        ]])
        #expect(try Self.summary(crash) == ["1/2", "CrashLoopBackOff", "5 (30s ago)"])
        let exited = Self.pod(["phase": "Running", "containerStatuses": [
            ["name": "a", "state": ["terminated": ["exitCode": 2]]], Self.running("b"),
        ]])
        #expect(try Self.summary(exited)[1] == "ExitCode:2")
        let signalled = Self.pod(["phase": "Running", "containerStatuses": [
            ["name": "a", "state": ["terminated": ["exitCode": 137, "signal": 9]]], Self.running("b"),
        ]])
        #expect(try Self.summary(signalled)[1] == "Signal:9")
        let pulling = Self.pod(["phase": "Pending", "containerStatuses": [
            ["name": "a", "state": ["waiting": ["reason": "ContainerCreating"]]],
            ["name": "b", "state": ["waiting": ["reason": "ErrImagePull"]]],
        ]])
        // Statuses are walked from the last, so the first container's reason wins.
        #expect(try Self.summary(pulling) == ["0/2", "ContainerCreating", "0"])
    }

    @Test func completedPodsAndStillRunningOnes() throws {
        let done = Self.pod(["phase": "Succeeded", "containerStatuses": [
            ["name": "a", "state": ["terminated": ["exitCode": 0, "reason": "Completed"]]],
            ["name": "b", "state": ["terminated": ["exitCode": 0, "reason": "Completed"]]],
        ]])
        let table = try TableFixture.table("pods", done)
        #expect(table[path: ["rows"]]?[0]?["cells"]?[2] == "Completed")
        #expect(table[path: ["rows"]]?[0]?["conditions"] == [["type": "Completed", "status": "True", "reason": "Succeeded",
                                                               "message": "The pod has completed successfully."]])
        let failed = Self.pod(["phase": "Failed", "reason": "Evicted"])
        let failedTable = try TableFixture.table("pods", failed)
        #expect(failedTable[path: ["rows"]]?[0]?["cells"]?[2] == "Evicted")
        #expect(failedTable[path: ["rows"]]?[0]?["conditions"]?[0]?["reason"] == "Failed")
        let partly = Self.pod(["phase": "Running", "containerStatuses": [
            ["name": "a", "state": ["terminated": ["exitCode": 0, "reason": "Completed"]]], Self.running("b"),
        ], "conditions": [["type": "Ready", "status": "True"]]])
        #expect(try Self.summary(partly) == ["1/2", "Running", "0"])
        var notReady = partly
        notReady[path: ["status", "conditions"]] = [["type": "Ready", "status": "False"]]
        #expect(try Self.summary(notReady)[1] == "NotReady")
    }

    @Test func initContainers() throws {
        let spec: JSONValue = ["initContainers": [["name": "i1"], ["name": "i2"]], "containers": [["name": "a"]]]
        let second = Self.pod(["phase": "Pending", "initContainerStatuses": [
            ["name": "i1", "state": ["terminated": ["exitCode": 0, "reason": "Completed"]]],
            ["name": "i2", "state": ["running": [:]]],
        ]], spec: spec)
        #expect(try Self.summary(second) == ["0/1", "Init:1/2", "0"])
        let crashing = Self.pod(["phase": "Pending", "initContainerStatuses": [
            ["name": "i1", "restartCount": 2, "state": ["waiting": ["reason": "CrashLoopBackOff"]],
             "lastState": ["terminated": ["exitCode": 1, "finishedAt": TableFixture.ago(200)]]],
            ["name": "i2", "state": ["waiting": ["reason": "PodInitializing"]]],
        ]], spec: spec)
        #expect(try Self.summary(crashing) == ["0/1", "Init:CrashLoopBackOff", "2 (3m20s ago)"])
        let failed = Self.pod(["phase": "Pending", "initContainerStatuses": [
            ["name": "i1", "state": ["terminated": ["exitCode": 3]]],
        ]], spec: spec)
        #expect(try Self.summary(failed)[1] == "Init:ExitCode:3")
        let initializing = Self.pod(["phase": "Pending", "initContainerStatuses": [
            ["name": "i1", "state": ["waiting": ["reason": "PodInitializing"]]],
        ]], spec: spec)
        #expect(try Self.summary(initializing)[1] == "Init:0/2")
    }

    @Test func sidecarsCountTowardsReady() throws {
        let spec: JSONValue = ["initContainers": [["name": "proxy", "restartPolicy": "Always"]],
                               "containers": [["name": "a"]]]
        let pod = Self.pod(["phase": "Running", "initContainerStatuses": [
            ["name": "proxy", "started": true, "ready": true, "restartCount": 1, "state": ["running": [:]],
             "lastState": ["terminated": ["exitCode": 1, "finishedAt": TableFixture.ago(7200)]]],
        ], "containerStatuses": [Self.running("a", restarts: 1, lastFinished: 90)],
                            "conditions": [["type": "Initialized", "status": "True"]]], spec: spec)
        #expect(try Self.summary(pod) == ["2/2", "Running", "2 (90s ago)"])
    }

    @Test func terminatingUnknownAndGated() throws {
        var deleting = Self.pod(["phase": "Running", "containerStatuses": [Self.running("a"), Self.running("b")]])
        deleting[path: ["metadata", "deletionTimestamp"]] = TableFixture.ago(5)
        #expect(try Self.summary(deleting)[1] == "Terminating")
        var lost = deleting
        lost[path: ["status", "reason"]] = "NodeLost"
        #expect(try Self.summary(lost)[1] == "Unknown")
        var finished = Self.pod(["phase": "Succeeded"])
        finished[path: ["metadata", "deletionTimestamp"]] = TableFixture.ago(5)
        #expect(try Self.summary(finished)[1] == "Succeeded")
        let gated = Self.pod(["phase": "Pending", "conditions": [
            ["type": "PodScheduled", "status": "False", "reason": "SchedulingGated"],
        ]])
        #expect(try Self.summary(gated)[1] == "SchedulingGated")
    }

    @Test func wideCells() throws {
        var pod = Self.pod(["phase": "Running", "podIP": "10.0.0.9", "nominatedNodeName": "n2",
                            "conditions": [["type": "example.com/gate", "status": "True"]]])
        pod[path: ["spec", "nodeName"]] = "n1"
        pod[path: ["spec", "readinessGates"]] = [["conditionType": "example.com/gate"], ["conditionType": "other"]]
        #expect(Array(try TableFixture.cells("pods", pod)[5...]) == ["10.0.0.9", "n1", "n2", "1/2"])
        #expect(Array(try TableFixture.cells("pods", Self.pod([:]))[5...]) == ["<none>", "<none>", "<none>", "<none>"])
        #expect(try TableFixture.wideColumns("pods") == ["IP", "Node", "Nominated Node", "Readiness Gates"])
    }
}
