import Testing
@testable import APIServer

@Suite("Table Accept negotiation")
struct TableAcceptTests {
    static let kubectl = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,"
        + "application/json"

    @Test(arguments: [
        (kubectl, true),
        ("application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json", true),
        ("application/json; as=Table; g=meta.k8s.io; v=v1", true),
        ("application/json;as=\"Table\";g=\"meta.k8s.io\";v=\"v1\"", true),
        ("*/*;as=Table;g=meta.k8s.io;v=v1", true),
        ("application/json", false),
        ("application/json, application/json;as=Table;v=v1;g=meta.k8s.io", false),
        ("*/*", false),
        ("", false),
        ("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json", false),
        ("application/json;as=Table;v=v2;g=meta.k8s.io,application/json", false),
        ("application/json;as=Table;v=v1;g=other.io,application/json", false),
        ("application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json", false),
        ("application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io", true),
        ("application/json;q=0.5,application/json;as=Table;v=v1;g=meta.k8s.io", true),
        ("application/json;as=Table;v=v1;g=meta.k8s.io;q=0,application/json", false),
        ("application/yaml,application/json;as=Table;v=v1;g=meta.k8s.io", false),
        ("application/yaml;as=Table;v=v1;g=meta.k8s.io", true),
        ("application/cbor,application/json;as=Table;v=v1;g=meta.k8s.io", true),
    ] as [(String, Bool)])
    func negotiation(header: String, expected: Bool) {
        #expect(TableConverter.wantsTable(accept: header) == expected)
    }

    @Test func noHeaderMeansPlainJSON() {
        #expect(!TableConverter.wantsTable(accept: nil))
    }
}
