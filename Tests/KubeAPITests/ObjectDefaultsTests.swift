import Testing
@testable import KubeAPI

@Suite struct ObjectDefaultsTests {
    func parse(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

    @Test func podGetsUpstreamDefaultsAndKeepsUnknownFields() throws {
        var pod = try parse(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"x-extra":{"keep":1},"spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80}],"livenessProbe":{"httpGet":{"port":80}}}],"volumes":[{"name":"scratch"},{"name":"cfg","configMap":{"name":"x"}}]}}"#)
        ObjectDefaults.apply(to: &pod)
        #expect(pod[path: ["spec", "restartPolicy"]] == "Always")
        #expect(pod[path: ["spec", "dnsPolicy"]] == "ClusterFirst")
        #expect(pod[path: ["spec", "terminationGracePeriodSeconds"]] == 30)
        #expect(pod[path: ["spec", "schedulerName"]] == "default-scheduler")
        let container = try #require(pod[path: ["spec", "containers"]]?[0])
        #expect(container["imagePullPolicy"] == "Always", "untagged images are pulled always")
        #expect(container["terminationMessagePath"] == "/dev/termination-log")
        #expect(container["terminationMessagePolicy"] == "File")
        #expect(container["ports"]?[0]?["protocol"] == "TCP")
        #expect(container[path: ["livenessProbe", "periodSeconds"]] == 10)
        #expect(container[path: ["livenessProbe", "httpGet", "scheme"]] == "HTTP")
        #expect(pod[path: ["spec", "volumes"]]?[0]?["emptyDir"] == .emptyObject)
        #expect(pod[path: ["spec", "volumes"]]?[1]?[path: ["configMap", "defaultMode"]] == 420)
        #expect(pod["x-extra"] == ["keep": 1])
    }

    @Test(arguments: [("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.27", "IfNotPresent"),
                      ("registry:5000/app", "Always"), ("registry:5000/app:v1", "IfNotPresent"), ("app@sha256:abc", "IfNotPresent")])
    func pullPolicyFollowsTheTag(image: String, policy: String) {
        #expect(PodDefaults.pullPolicy(forImage: image) == policy)
    }

    @Test func deploymentDefaults() throws {
        var deployment = try parse(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}"#)
        ObjectDefaults.apply(to: &deployment)
        #expect(deployment[path: ["spec", "replicas"]] == 1)
        #expect(deployment[path: ["spec", "strategy", "type"]] == "RollingUpdate")
        #expect(deployment[path: ["spec", "strategy", "rollingUpdate", "maxUnavailable"]] == "25%")
        #expect(deployment[path: ["spec", "strategy", "rollingUpdate", "maxSurge"]] == "25%")
        #expect(deployment[path: ["spec", "revisionHistoryLimit"]] == 10)
        #expect(deployment[path: ["spec", "progressDeadlineSeconds"]] == 600)
        #expect(deployment[path: ["spec", "template", "spec", "restartPolicy"]] == "Always")
        #expect(deployment[path: ["spec", "template", "spec", "containers"]]?[0]?["imagePullPolicy"] == "IfNotPresent")
    }

    @Test func recreateGetsNoRollingUpdate() throws {
        var deployment = try parse(#"{"apiVersion":"apps/v1","kind":"Deployment","spec":{"strategy":{"type":"Recreate"}}}"#)
        ObjectDefaults.apply(to: &deployment)
        #expect(deployment[path: ["spec", "strategy", "rollingUpdate"]] == nil)
    }

    @Test func otherWorkloads() throws {
        var sts = try parse(#"{"apiVersion":"apps/v1","kind":"StatefulSet","spec":{"volumeClaimTemplates":[{"spec":{}}]}}"#)
        ObjectDefaults.apply(to: &sts)
        #expect(sts[path: ["spec", "podManagementPolicy"]] == "OrderedReady")
        #expect(sts[path: ["spec", "updateStrategy", "rollingUpdate", "partition"]] == 0)
        #expect(sts[path: ["spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"]] == "Retain")
        #expect(sts[path: ["spec", "volumeClaimTemplates"]]?[0]?[path: ["spec", "volumeMode"]] == "Filesystem")
        var ds = try parse(#"{"apiVersion":"apps/v1","kind":"DaemonSet","spec":{}}"#)
        ObjectDefaults.apply(to: &ds)
        #expect(ds[path: ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"]] == 1)
        var job = try parse(#"{"apiVersion":"batch/v1","kind":"Job","spec":{"parallelism":3}}"#)
        ObjectDefaults.apply(to: &job)
        #expect(job[path: ["spec", "completions"]] == nil, "completions stays unset when parallelism was given")
        #expect(job[path: ["spec", "backoffLimit"]] == 6)
        var service = try parse(#"{"apiVersion":"v1","kind":"Service","spec":{"ports":[{"port":80}]}}"#)
        ObjectDefaults.apply(to: &service)
        #expect(service[path: ["spec", "type"]] == "ClusterIP")
        #expect(service[path: ["spec", "ports"]]?[0]?["targetPort"] == 80)
        #expect(service[path: ["spec", "ports"]]?[0]?["protocol"] == "TCP")
    }

    @Test func explicitValuesWin() throws {
        var pod = try parse(#"{"apiVersion":"v1","kind":"Pod","spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x","imagePullPolicy":"Never"}]}}"#)
        ObjectDefaults.apply(to: &pod)
        #expect(pod[path: ["spec", "restartPolicy"]] == "Never")
        #expect(pod[path: ["spec", "containers"]]?[0]?["imagePullPolicy"] == "Never")
    }
}
