import Foundation
import Testing
@testable import KubeAPI

@Suite struct KubeTimeTests {
    @Test(arguments: [
        ("2026-11-26T16:34:55Z", "2026-11-26T16:34:55Z"),
        ("2026-11-26T16:01:13+00:00", "2026-11-26T16:01:13Z"),
        ("2026-11-26T18:34:55+02:00", "2026-11-26T16:34:55Z"),
        ("2026-11-26T00:30:00-01:30", "2026-11-26T02:00:00Z"),
        ("2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00Z"),
        ("2024-02-29t12:00:00.999z", "2024-02-29T12:00:00Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
        ("2000-03-01T00:00:00Z", "2000-03-01T00:00:00Z"),
    ])
    func parsesAndNormalisesToUTC(input: String, expected: String) throws {
        #expect(try KubeTime(rfc3339: input).rfc3339 == expected)
    }

    @Test func fractionsAndMicroTime() throws {
        let time = try KubeTime(rfc3339: "2026-11-26T16:34:55.123456789Z")
        #expect(time.nanoseconds == 123_456_789)
        #expect(time.rfc3339Micro == "2026-11-26T16:34:55.123456Z")
        #expect(time.rfc3339Nano == "2026-11-26T16:34:55.123456789Z")
        #expect(try KubeTime(rfc3339: "2026-11-26T16:34:55.5Z").rfc3339Nano == "2026-11-26T16:34:55.5Z")
        #expect(try KubeTime(rfc3339: "2026-11-26T16:34:55Z").rfc3339Micro == "2026-11-26T16:34:55.000000Z")
        #expect(try MicroTime(rfc3339: "2026-11-26T16:34:55.1234567+01:00").description == "2026-11-26T15:34:55.123456Z")
        #expect(try KubeTime(rfc3339: "1970-01-01T00:00:00Z").seconds == 0)
        #expect(try KubeTime(rfc3339: "2026-11-26T16:34:55Z") < KubeTime(rfc3339: "2026-11-26T16:34:55.1Z"))
    }

    @Test(arguments: ["", "2026-11-26", "2026-11-26T16:34:55", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
                      "2026-11-26T24:00:00Z", "2026-11-26T16:34:55.Z", "2026-11-26T16:34:55+0200",
                      "2026-11-26 16:34:55Z", "2026-11-26T16:34:55Zjunk"])
    func rejectsInvalid(input: String) {
        #expect(throws: TimeParseError.self) { try KubeTime(rfc3339: input) }
    }

    @Test func dateRoundTripAndCodable() throws {
        let time = KubeTime(seconds: 1_795_000_000, nanoseconds: 250_000_000)
        #expect(KubeTime(time.date) == time)
        struct Event: Codable { var lastTimestamp: KubeTime; var eventTime: MicroTime }
        let event = Event(lastTimestamp: time, eventTime: MicroTime(time))
        let json = try JSONValue(parsing: Array(try JSONEncoder().encode(event)))
        #expect(json["lastTimestamp"] == "2026-11-18T11:06:40Z")
        #expect(json["eventTime"] == "2026-11-18T11:06:40.250000Z")
    }
}

@Suite struct ObjectMetaViewTests {
    @Test func readsAndWritesInPlaceKeepingOtherFields() throws {
        var pod = try JSONValue(parsing: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","x-extra":1,"labels":{"b":"2","a":"1"},"generation":3,"creationTimestamp":"2026-11-26T16:01:13+00:00"},"spec":{}}"#)
        #expect(pod.metadata.name == "web")
        #expect(pod.metadata.labels.keys.elements == ["b", "a"])
        #expect(pod.metadata.generation == 3)
        #expect(pod.metadata.creationTimestamp?.rfc3339 == "2026-11-26T16:01:13Z")
        #expect(pod.kind == "Pod")
        pod.metadata.namespace = "default"
        pod.metadata.uid = "1234"
        pod.metadata.resourceVersion = "7"
        pod.metadata.labels["c"] = "3"
        pod.metadata.annotations = ["note": "hi"]
        pod.metadata.finalizers = ["example.com/x"]
        pod.metadata.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-1",
                                                       uid: "u1", controller: true, blockOwnerDeletion: true)]
        pod.metadata.generation = nil
        pod.metadata.deletionTimestamp = KubeTime(seconds: 0)
        #expect(pod.metadata.isBeingDeleted)
        #expect(pod.jsonString == #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","x-extra":1,"labels":{"b":"2","a":"1","c":"3"},"creationTimestamp":"2026-11-26T16:01:13+00:00","namespace":"default","uid":"1234","resourceVersion":"7","annotations":{"note":"hi"},"finalizers":["example.com/x"],"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"u1","controller":true,"blockOwnerDeletion":true}],"deletionTimestamp":"1970-01-01T00:00:00Z"},"spec":{}}"#)
        #expect(pod.metadata.ownerReferences.first?.controller == true)
        pod.metadata.finalizers = []
        #expect(pod["metadata"]?["finalizers"] == nil)
    }

    @Test func emptyObjectGetsMetadata() {
        var object = JSONValue.emptyObject
        #expect(object.metadata.name == nil)
        object.metadata.generateName = "web-"
        #expect(object.jsonString == #"{"metadata":{"generateName":"web-"}}"#)
    }
}

@Suite struct IntOrStringScalingTests {
    @Test func scalesPercentages() throws {
        #expect(try IntOrString.string("25%").scaledValue(total: 10, roundUp: true) == 3)
        #expect(try IntOrString.string("25%").scaledValue(total: 10, roundUp: false) == 2)
        #expect(try IntOrString.int(5).scaledValue(total: 10, roundUp: false) == 5)
        #expect(throws: IntOrString.ScalingError.self) { try IntOrString.string("abc").scaledValue(total: 10, roundUp: true) }
        #expect(IntOrString(json: .integer(8080)) == .int(8080))
        #expect(IntOrString(json: "http")?.json == "http")
        #expect(IntOrString(json: .float(1.5)) == nil)
    }
}
