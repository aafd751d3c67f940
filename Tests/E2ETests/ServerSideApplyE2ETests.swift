import Foundation
import Testing

/// `kubectl apply --server-side` against the real server: ownership recorded per field manager, conflicts reported
/// the way kubectl explains them, `--force-conflicts` taking fields over, and fields a manager stops applying removed.
@Suite(.serialized, .enabled(if: Harness.which("kubectl") && Harness.which("curl"), "needs kubectl and curl"))
struct ServerSideApplyE2ETests {
    static func manifest(_ body: String) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: default\n" + body
    }

    @Test func managersConflictForceAndDropFields() throws {
        let server = try APIServerFixture()
        defer { server.stop() }
        let files = [
            "first": Self.manifest("  labels: {a: \"1\", b: \"2\"}\ndata: {x: \"1\", k: \"2\"}\n"),
            "other": Self.manifest("data: {x: \"changed\"}\n"),
            "second": Self.manifest("  labels: {a: \"1\"}\ndata: {k: \"2\"}\n"),
        ]
        for (name, text) in files { try text.write(toFile: "\(server.directory)/\(name).yaml", atomically: true, encoding: .utf8) }
        func apply(_ name: String, _ extra: String...) throws -> Run {
            try server.kubectl(arguments: ["apply", "--server-side", "-f", "\(server.directory)/\(name).yaml"] + extra)
        }
        #expect(try apply("first").stdout.contains("configmap/ssa serverside-applied"))
        let conflict = try apply("other", "--field-manager=other")
        #expect(conflict.status != 0)
        #expect(conflict.combined.contains(#"conflict with "kubectl" using v1: .data.x"#), "\(conflict.combined)")
        let forced = try apply("other", "--field-manager=other", "--force-conflicts")
        #expect(forced.status == 0, "\(forced.combined)")
        #expect(try apply("second").status == 0)
        let result = try server.kubectl("get", "configmap", "ssa", "-o", "jsonpath={.data} {.metadata.labels}")
        #expect(result.stdout == #"{"k":"2","x":"changed"} {"a":"1"}"#, "label b was dropped by its only owner; x belongs to other")
        let managers = try server.kubectl("get", "configmap", "ssa", "--show-managed-fields", "-o",
                                          "jsonpath={range .metadata.managedFields[*]}{.manager}:{.operation} {end}")
        #expect(managers.stdout == "other:Apply kubectl:Apply ")
    }
}
