import Foundation
import Testing
@testable import KubeAPI

/// Protobuf bodies recorded from kubectl 1.32 (`Fixtures/protobuf`, see its COMMANDS file) and hand-built ones
/// decode into the JSON kubectl would have sent (`kubectl create ... --dry-run=client -o json`).
struct ProtobufDecoderTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "pb", subdirectory: "Fixtures/protobuf"))
        return Array(try Data(contentsOf: url))
    }

    static func decoded(_ name: String) throws -> String {
        String(decoding: try KubeProtobuf.decodeObject(fixture(name)).jsonBytes, as: UTF8.self)
    }

    /// The exact JSON of the recorded bodies: zero-valued Go value fields dropped, pointers and fields without
    /// `omitempty` kept, inline structs flattened, Secret bytes base64, quantities and int-or-strings as JSON has them.
    static let expected: [(String, String)] = [
        ("namespace", #"{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"cap","creationTimestamp":null},"spec":{},"status":{}}"#),
        ("deployment", #"{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","namespace":"cap","creationTimestamp":null,"labels":{"app":"web"}},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"busybox","image":"busybox:1.36","command":["sleep","3600"],"ports":[{"containerPort":80}],"resources":{}}]}},"strategy":{}},"status":{}}"#),
        ("secret-generic", #"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"sec","namespace":"cap","creationTimestamp":null},"data":{"password":"czNjcjN0"}}"#),
        ("service-nodeport", #"{"kind":"Service","apiVersion":"v1","metadata":{"name":"np","namespace":"cap","creationTimestamp":null,"labels":{"app":"np"}},"spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080,"nodePort":30080}],"selector":{"app":"np"},"type":"NodePort"},"status":{"loadBalancer":{}}}"#),
        ("resourcequota", #"{"kind":"ResourceQuota","apiVersion":"v1","metadata":{"name":"q","namespace":"cap","creationTimestamp":null},"spec":{"hard":{"cpu":"2","pods":"10"}},"status":{}}"#),
        ("pdb-max-unavailable", #"{"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"pdb2","namespace":"cap","creationTimestamp":null},"spec":{"selector":{"matchLabels":{"app":"x"}},"maxUnavailable":"50%"},"status":{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}}"#),
        ("tokenrequest", #"{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"expirationSeconds":600},"status":{"token":"","expirationTimestamp":null}}"#),
        ("selfsubjectaccessreview", #"{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{"creationTimestamp":null},"spec":{"resourceAttributes":{"namespace":"cap","verb":"list","resource":"pods"}},"status":{"allowed":false}}"#),
        ("ingress", #"{"kind":"Ingress","apiVersion":"networking.k8s.io/v1","metadata":{"name":"ing","namespace":"cap","creationTimestamp":null},"spec":{"rules":[{"host":"foo.com","http":{"paths":[{"path":"/bar","backend":{"service":{"name":"svc","port":{"number":80}}},"pathType":"Exact"}]}}]},"status":{"loadBalancer":{}}}"#),
    ]

    @Test(arguments: expected.map(\.0))
    func recordedBodyDecodesToKubectlJSON(_ name: String) throws {
        let want = try #require(Self.expected.first { $0.0 == name }?.1)
        #expect(try JSONValue(parsing: Self.decoded(name)) == JSONValue(parsing: want))
        #expect(try Self.decoded(name) == want, "members come out in field-number order, as kubectl's JSON has them")
    }

    @Test func everyRecordedBodyDecodesAsItsKind() throws {
        let dir = try #require(Bundle.module.url(forResource: "protobuf", withExtension: nil, subdirectory: "Fixtures"))
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".pb") }
        #expect(names.count == 23)
        for name in names {
            let object = try KubeProtobuf.decodeObject(Array(Data(contentsOf: dir.appendingPathComponent(name))))
            let kind = try #require(object.kind).lowercased()
            let stem = name.dropLast(3).split(separator: "-").first.map(String.init) ?? ""
            #expect(kind == stem || (stem == "pdb" && kind == "poddisruptionbudget"), "\(name) decoded as \(kind)")
        }
    }

    // MARK: - Hand-built bodies

    /// A minimal encoder for building test bodies.
    struct Writer {
        var bytes: [UInt8] = []
        mutating func varint(_ value: UInt64) {
            var v = value
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }
        mutating func field(_ number: Int, varint value: UInt64) { varint(UInt64(number << 3)); varint(value) }
        mutating func field(_ number: Int, bytes value: [UInt8]) { varint(UInt64(number << 3 | 2)); varint(UInt64(value.count)); bytes += value }
        mutating func field(_ number: Int, _ text: String) { field(number, bytes: Array(text.utf8)) }
        static func message(_ build: (inout Writer) -> Void) -> [UInt8] { var w = Writer(); build(&w); return w.bytes }
    }

    static func envelope(_ apiVersion: String, _ kind: String, _ raw: [UInt8]) -> [UInt8] {
        KubeProtobuf.magic + Writer.message { w in
            w.field(1, bytes: Writer.message { $0.field(1, apiVersion); $0.field(2, kind) })
            w.field(2, bytes: raw)
        }
    }

    @Test func pointerZeroIsKeptAndValueZeroIsDropped() throws {
        // DeploymentSpec: replicas (field 1) is *int32 -> 0 stays; minReadySeconds (5) and paused (7) are values -> dropped.
        let spec = Writer.message { $0.field(1, varint: 0); $0.field(5, varint: 0); $0.field(7, varint: 0) }
        let body = Self.envelope("apps/v1", "Deployment", Writer.message { $0.field(2, bytes: spec) })
        let object = try KubeProtobuf.decodeObject(body)
        #expect(object["spec"] == .object(["replicas": .integer(0)]))
    }

    @Test func timesIntOrStringsAndUnknownFields() throws {
        // ObjectMeta.creationTimestamp (8) set, an unknown field 99 skipped; RollingUpdateDeployment maxSurge as int.
        let meta = Writer.message { w in
            w.field(1, "x")
            w.field(8, bytes: Writer.message { $0.field(1, varint: 1_764_201_600); $0.field(2, varint: 5) })
            w.field(99, "from a newer client")
        }
        let rolling = Writer.message { $0.field(2, bytes: Writer.message { $0.field(1, varint: 0); $0.field(2, varint: 2) }) }
        let strategy = Writer.message { $0.field(1, "RollingUpdate"); $0.field(2, bytes: rolling) }
        let body = Self.envelope("apps/v1", "Deployment", Writer.message { w in
            w.field(1, bytes: meta)
            w.field(2, bytes: Writer.message { $0.field(4, bytes: strategy) })
        })
        let object = try KubeProtobuf.decodeObject(body)
        #expect(object["metadata"] == .object(["name": "x", "creationTimestamp": "2025-11-27T00:00:00Z"]))
        #expect(object["spec"]?["strategy"]?["rollingUpdate"]?["maxSurge"] == .integer(2))
    }

    @Test func packedAndUnpackedRepeatedScalars() throws {
        // PodSecurityContext.supplementalGroups (4) is repeated int64: accept both encodings.
        var packed = Writer()
        packed.varint(7); packed.varint(300)
        let context = Writer.message { $0.field(4, bytes: packed.bytes); $0.field(4, varint: 9) }
        let podSpec = Writer.message { $0.field(14, bytes: context) }
        let object = try KubeProtobuf.decodeObject(Self.envelope("v1", "Pod", Writer.message { $0.field(2, bytes: podSpec) }))
        #expect(object["spec"]?["securityContext"]?["supplementalGroups"] == .array([7, 300, 9]))
    }

    @Test func deleteOptionsFromAnyGroup() throws {
        // kubectl sends DeleteOptions with the group/version of the resource it deletes; propagationPolicy is field 4.
        let body = Self.envelope("apps/v1", "DeleteOptions", Writer.message { $0.field(4, "Orphan") })
        #expect(try KubeProtobuf.decodeObject(body)["propagationPolicy"] == "Orphan")
    }

    @Test func malformedBodiesAreRefusedWithAReason() throws {
        func failure(_ body: [UInt8]) -> String {
            do { _ = try KubeProtobuf.decodeObject(body); return "" } catch { return "\(error)" }
        }
        #expect(failure(Array("{\"kind\":\"Pod\"}".utf8)).contains("k8s\\x00"))
        #expect(failure(Self.envelope("example.com/v1", "Widget", [])).contains("no protobuf schema for kind Widget in example.com/v1"))
        #expect(failure(Self.envelope("v1", "Pod", [0x0A, 0x05, 0x0A])).contains("runs past the end"))
        #expect(failure(Self.envelope("v1", "Pod", [0x0A, 0x02, 0x08, 0x01])).contains("ObjectMeta.name: wire type 0"))
        #expect(failure(KubeProtobuf.magic + [0x0A, 0x00]).contains("no apiVersion or kind"))
    }

    @Test func goDurationStrings() {
        #expect(KubeProtobuf.goDuration(0) == "0s")
        #expect(KubeProtobuf.goDuration(1_500_000_000) == "1.5s")
        #expect(KubeProtobuf.goDuration(300_000_000) == "300ms")
        #expect(KubeProtobuf.goDuration(3_723_000_000_000) == "1h2m3s")
        #expect(KubeProtobuf.goDuration(-60_000_000_000) == "-1m0s")
    }

    @Test func schemaCoversEveryGroupVersionTheServerServes() {
        for info in ResourceTable.resources where !["apiextensions.k8s.io", "apiregistration.k8s.io"].contains(info.group) {
            let apiVersion = info.groupVersion
            #expect(ProtobufSchema.shared.message(apiVersion: apiVersion, kind: info.kind) != nil, "\(apiVersion) \(info.kind)")
        }
    }
}
