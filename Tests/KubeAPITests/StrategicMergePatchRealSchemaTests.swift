import Foundation
import Testing
@testable import KubeAPI

/// The patch engine driven by the generated v1.32 table instead of the hand-written test schema: the fixture
/// Deployment patched the way kubectl does.
@Suite struct StrategicMergePatchRealSchemaTests {
    static func deployment() throws -> JSONValue {
        try JSONValue(parsing: try FixtureRoundTripTests.fixture("deployment"))
    }

    @Test func setImageAndApplyOrderWithGeneratedSchema() throws {
        let schema = GeneratedPatchSchema.shared
        let patch = try json(#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"$setElementOrder/env":[{"name":"POD_NAME"},{"name":"GOMAXPROCS"},{"name":"FEATURE_RATIO"},{"name":"DB_PASSWORD"},{"name":"NEW"}],"env":[{"name":"NEW","value":"1"}],"image":"registry.example.com/shop/web:2.5.0","name":"web"}],"volumes":[{"$retainKeys":["emptyDir","name"],"emptyDir":{},"name":"config"}]}}}}"#)
        let result = try StrategicMergePatch.apply(patch, to: try Self.deployment(), schema: schema)
        let podSpec = result[path: ["spec", "template", "spec"]]
        let web = podSpec?["containers"]?[0]
        #expect(web?["image"] == "registry.example.com/shop/web:2.5.0")
        #expect(web?["env"]?.array?.compactMap { $0["name"]?.string } == ["POD_NAME", "GOMAXPROCS", "FEATURE_RATIO", "DB_PASSWORD", "NEW"])
        #expect(web?["ports"]?.array?.count == 2)
        #expect(podSpec?["volumes"]?[0]?.jsonString == #"{"name":"config","emptyDir":{}}"#)
        #expect(podSpec?["volumes"]?.array?.count == 4)
    }

    @Test func strategyRetainKeysAndTolerationsAtomicWithGeneratedSchema() throws {
        let schema = GeneratedPatchSchema.shared
        let patch = try json(#"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},"template":{"spec":{"tolerations":[{"operator":"Exists"}]}}}}"#)
        let result = try StrategicMergePatch.apply(patch, to: try Self.deployment(), schema: schema)
        #expect(result["spec"]?["strategy"]?.jsonString == #"{"type":"Recreate"}"#)
        #expect(result[path: ["spec", "template", "spec", "tolerations"]]?.jsonString == #"[{"operator":"Exists"}]"#)
    }
}
