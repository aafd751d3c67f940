import Foundation
import Testing
@testable import KubeAPI

/// Real-world manifests stored in canonical compact form: parsing and re-serialising must reproduce every byte,
/// which proves unknown fields, key order, integers, big integers and floats survive a trip through the server.
@Suite struct FixtureRoundTripTests {
    static let names = ["deployment", "statefulset", "daemonset", "pod", "unknown-fields"]

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        var bytes = Array(try Data(contentsOf: url))
        while bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return bytes
    }

    @Test(arguments: names)
    func compactRoundTripIsByteIdentical(name: String) throws {
        let bytes = try Self.fixture(name)
        let value = try JSONValue(parsing: bytes)
        #expect(JSONSerializer.bytes(value) == bytes)
    }

    @Test(arguments: names)
    func prettyRoundTripKeepsOrder(name: String) throws {
        let value = try JSONValue(parsing: try Self.fixture(name))
        let reparsed = try JSONValue(parsing: value.prettyJSONString)
        #expect(reparsed.isIdentical(to: value))
    }

    @Test func unknownFieldsAndNumbersAreKept() throws {
        let value = try JSONValue(parsing: try Self.fixture("unknown-fields"))
        #expect(value.object?.keys.elements == ["kind", "apiVersion", "metadata", "spec", "status"])
        #expect(value["spec"]?["bigCounter"] == .bigInteger("123456789012345678901234567890"))
        #expect(value["spec"]?["negBig"] == .bigInteger("-98765432109876543210"))
        #expect(value["spec"]?["alpha"] == .integer(-12))
        #expect(value["spec"]?["tiny"] == .float(1e-9))
        #expect(value["spec"]?["weird keys"]?[""]?.string == "empty key")
        #expect(value["status"]?["futureField"]?["ofAFutureVersion"]?[1] == "verbatim")
    }

    @Test func deploymentFieldsAreReadable() throws {
        let deployment = try JSONValue(parsing: try Self.fixture("deployment"))
        #expect(deployment.metadata.generation == 7)
        #expect(deployment.metadata.annotations["note"] == "quotes \" backslash \\ tab \t and unicode é中😀")
        let selector = try LabelSelector(apiSelector: deployment["spec"]?["selector"])
        #expect(selector.matches(object: deployment["spec"]?["template"] ?? .null))
        let requests = deployment[path: ["spec", "template", "spec", "containers"]]?[0]?["resources"]?["requests"]
        let total = try Quantity(json: requests?["cpu"] ?? .null) + Quantity(parsing: "750m")
        #expect(total.canonicalString == "1")
    }
}
