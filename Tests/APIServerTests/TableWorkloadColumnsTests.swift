import KubeAPI
import Testing
@testable import APIServer

@Suite("Table workload columns")
struct TableWorkloadColumnsTests {
    static let template: JSONValue = [
        "metadata": ["labels": ["app": "web"]],
        "spec": ["containers": [["name": "web", "image": "nginx:1.27"], ["name": "log", "image": "busybox"]],
                 "nodeSelector": ["kubernetes.io/os": "linux", "disk": "ssd"]],
    ]
    static let selector: JSONValue = [
        "matchLabels": ["app": "web"],
        "matchExpressions": [["key": "tier", "operator": "In", "values": ["fe", "be"]]],
    ]

    @Test func deployments() throws {
        #expect(try TableFixture.columns("deployments", group: "apps")
            == ["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"])
        let deployment = TableFixture.object("web", age: 3 * 3600, [
            "spec": ["replicas": 3, "selector": Self.selector, "template": Self.template],
            "status": ["readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2],
        ])
        #expect(try TableFixture.cells("deployments", group: "apps", deployment)
            == ["web", "2/3", 3, 2, "3h", "web,log", "nginx:1.27,busybox", "app=web,tier in (be,fe)"])
        let fresh = TableFixture.object("new", ["spec": ["template": Self.template, "selector": [:]]])
        #expect(try TableFixture.cells("deployments", group: "apps", fresh)[1...3] == ["0/1", 0, 0])
        #expect(try TableFixture.cells("deployments", group: "apps", fresh)[7] == "")
    }

    @Test func replicaSetsAndControllers() throws {
        let replicaSet = TableFixture.object("web-5d4f", age: 45 * 86_400, [
            "spec": ["replicas": 2, "selector": ["matchLabels": ["app": "web", "pod-template-hash": "5d4f"]],
                     "template": Self.template],
            "status": ["replicas": 2, "readyReplicas": 1],
        ])
        #expect(try TableFixture.cells("replicasets", group: "apps", replicaSet)
            == ["web-5d4f", 2, 2, 1, "45d", "web,log", "nginx:1.27,busybox", "app=web,pod-template-hash=5d4f"])
        let bare = TableFixture.object("bare", ["spec": ["selector": [:]]])
        #expect(try TableFixture.cells("replicasets", group: "apps", bare)[7] == "<none>")
        let controller = TableFixture.object("rc", ["spec": ["replicas": 1, "selector": ["app": "web"], "template": Self.template]])
        #expect(try TableFixture.cells("replicationcontrollers", controller) == ["rc", 1, 0, 0, "5m", "web,log",
                                                                                 "nginx:1.27,busybox", "app=web"])
    }

    @Test func statefulSetsAndDaemonSets() throws {
        let statefulSet = TableFixture.object("db", age: 2 * 365 * 86_400, [
            "spec": ["replicas": 3, "template": Self.template], "status": ["readyReplicas": 3],
        ])
        #expect(try TableFixture.columns("statefulsets", group: "apps") == ["Name", "Ready", "Age", "Containers", "Images"])
        #expect(try TableFixture.cells("statefulsets", group: "apps", statefulSet)
            == ["db", "3/3", "2y", "web,log", "nginx:1.27,busybox"])
        let daemonSet = TableFixture.object("agent", age: 50, [
            "spec": ["selector": ["matchLabels": ["app": "agent"]], "template": Self.template],
            "status": ["desiredNumberScheduled": 2, "currentNumberScheduled": 2, "numberReady": 1,
                       "updatedNumberScheduled": 2, "numberAvailable": 1],
        ])
        #expect(try TableFixture.columns("daemonsets", group: "apps") == ["Name", "Desired", "Current", "Ready",
            "Up-to-date", "Available", "Node Selector", "Age", "Containers", "Images", "Selector"])
        #expect(try TableFixture.cells("daemonsets", group: "apps", daemonSet)
            == ["agent", 2, 2, 1, 2, 1, "disk=ssd,kubernetes.io/os=linux", "50s", "web,log", "nginx:1.27,busybox",
                "app=agent"])
        var noSelector = daemonSet
        noSelector[path: ["spec", "template", "spec", "nodeSelector"]] = nil
        #expect(try TableFixture.cells("daemonsets", group: "apps", noSelector)[6] == "<none>")
    }

    @Test func jobs() throws {
        #expect(try TableFixture.columns("jobs", group: "batch")
            == ["Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"])
        let complete = TableFixture.object("pi", age: 600, [
            "spec": ["completions": 1, "parallelism": 1, "template": Self.template,
                     "selector": ["matchLabels": ["batch.kubernetes.io/controller-uid": "u1"]]],
            "status": ["succeeded": 1, "startTime": TableFixture.ago(590), "completionTime": TableFixture.ago(545),
                       "conditions": [["type": "Complete", "status": "True"]]],
        ])
        #expect(try TableFixture.cells("jobs", group: "batch", complete)
            == ["pi", "Complete", "1/1", "45s", "10m", "web,log", "nginx:1.27,busybox",
                "batch.kubernetes.io/controller-uid=u1"])
        let running = TableFixture.object("work", ["spec": ["parallelism": 3], "status": ["startTime": TableFixture.ago(130)]])
        #expect(try TableFixture.cells("jobs", group: "batch", running)[1...3] == ["Running", "0/1 of 3", "2m10s"])
        let pending = TableFixture.object("later", ["spec": ["suspend": true],
                                                    "status": ["conditions": [["type": "Suspended", "status": "True"]]]])
        #expect(try TableFixture.cells("jobs", group: "batch", pending)[1...3] == ["Suspended", "0/1", ""])
        var failing = TableFixture.object("bad", ["status": ["conditions": [
            ["type": "FailureTarget", "status": "True"], ["type": "Failed", "status": "True"],
        ]]])
        #expect(try TableFixture.cells("jobs", group: "batch", failing)[1] == "Failed")
        failing[path: ["status", "conditions"]] = [["type": "FailureTarget", "status": "True"]]
        #expect(try TableFixture.cells("jobs", group: "batch", failing)[1] == "FailureTarget")
        failing[path: ["metadata", "deletionTimestamp"]] = TableFixture.ago(1)
        #expect(try TableFixture.cells("jobs", group: "batch", failing)[1] == "Terminating")
    }

    @Test func cronJobs() throws {
        #expect(try TableFixture.columns("cronjobs", group: "batch") == ["Name", "Schedule", "Timezone", "Suspend", "Active",
            "Last Schedule", "Age", "Containers", "Images", "Selector"])
        let cronJob = TableFixture.object("nightly", age: 10 * 86_400, [
            "spec": ["schedule": "0 3 * * *", "suspend": false,
                     "jobTemplate": ["spec": ["template": Self.template]]],
            "status": ["active": [["name": "nightly-1"]], "lastScheduleTime": TableFixture.ago(9 * 3600)],
        ])
        #expect(try TableFixture.cells("cronjobs", group: "batch", cronJob)
            == ["nightly", "0 3 * * *", "<none>", "False", 1, "9h", "10d", "web,log", "nginx:1.27,busybox", "<none>"])
        let zoned = TableFixture.object("z", ["spec": ["schedule": "@hourly", "timeZone": "Etc/UTC"]])
        #expect(try TableFixture.cells("cronjobs", group: "batch", zoned)[1...5] == ["@hourly", "Etc/UTC", "<unset>", 0, "<none>"])
    }

    @Test func controllerRevisions() throws {
        var revision = TableFixture.object("agent-7c9", ["revision": 2, "data": [:]])
        revision[path: ["metadata", "ownerReferences"]] = [
            ["apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "u1", "controller": true],
        ]
        #expect(try TableFixture.columns("controllerrevisions", group: "apps") == ["Name", "Controller", "Revision", "Age"])
        #expect(try TableFixture.cells("controllerrevisions", group: "apps", revision)
            == ["agent-7c9", "daemonset.apps/agent", 2, "5m"])
        revision[path: ["metadata", "ownerReferences"]] = [
            ["apiVersion": "v1", "kind": "Pod", "name": "p", "uid": "u2", "controller": false],
        ]
        #expect(try TableFixture.cells("controllerrevisions", group: "apps", revision)[1] == "<none>")
    }

    @Test func podDisruptionBudgets() throws {
        let budget = TableFixture.object("web", ["spec": ["minAvailable": "50%"], "status": ["disruptionsAllowed": 1]])
        #expect(try TableFixture.columns("poddisruptionbudgets", group: "policy")
            == ["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"])
        #expect(try TableFixture.cells("poddisruptionbudgets", group: "policy", budget) == ["web", "50%", "N/A", 1, "5m"])
        let byCount = TableFixture.object("db", ["spec": ["maxUnavailable": 1]])
        #expect(try TableFixture.cells("poddisruptionbudgets", group: "policy", byCount) == ["db", "N/A", "1", 0, "5m"])
    }
}
