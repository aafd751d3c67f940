import KubeAPI
import Testing
@testable import APIServer

@Suite("Table conversion")
struct TableConverterTests {
    static func podList() -> JSONValue {
        var running = TableFixture.object("web", age: 300, [
            "kind": "Pod", "apiVersion": "v1",
            "spec": ["containers": [["name": "c", "image": "nginx"]], "nodeName": "node1"],
            "status": ["phase": "Running", "podIPs": [["ip": "10.244.0.7"]],
                       "containerStatuses": [["name": "c", "ready": true, "restartCount": 0,
                                              "state": ["running": ["startedAt": TableFixture.ago(290)]]]]],
        ])
        running[path: ["metadata", "labels"]] = ["app": "web"]
        running[path: ["metadata", "resourceVersion"]] = "41"
        return [
            "kind": "PodList", "apiVersion": "v1",
            "metadata": ["resourceVersion": "123", "continue": "token", "remainingItemCount": 3],
            "items": [running],
        ]
    }

    @Test func listTableShape() throws {
        let table = TableConverter.table(for: try TableFixture.resource("pods"), list: Self.podList(),
                                         includeObject: .metadata, now: TableFixture.now)
        #expect(table["kind"] == "Table")
        #expect(table["apiVersion"] == "meta.k8s.io/v1")
        #expect(table["metadata"] == ["resourceVersion": "123", "continue": "token", "remainingItemCount": 3])
        #expect(Array(table.object?.keys ?? []) == ["kind", "apiVersion", "metadata", "columnDefinitions", "rows"])
        let columns = try #require(table["columnDefinitions"]?.array)
        #expect(columns.compactMap { $0["name"]?.string }
            == ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"])
        #expect(columns.map { $0["priority"]?.int ?? -1 } == [0, 0, 0, 0, 0, 1, 1, 1, 1])
        #expect(columns[0]["format"] == "name")
        #expect(columns[0]["type"] == "string")
        #expect(columns[1]["format"] == "")
        #expect(columns.allSatisfy { !($0["description"]?.string ?? "").isEmpty })
        let row = try #require(table["rows"]?[0])
        #expect(row["cells"] == ["web", "1/1", "Running", "0", "5m", "10.244.0.7", "node1", "<none>", "<none>"])
        #expect(row["conditions"] == nil)
        #expect(row["object"]?["kind"] == "PartialObjectMetadata")
        #expect(row["object"]?["apiVersion"] == "meta.k8s.io/v1")
        #expect(row[path: ["object", "metadata", "labels", "app"]] == "web")
        #expect(row[path: ["object", "metadata", "namespace"]] == "default")
        #expect(row[path: ["object", "spec"]] == nil)
    }

    @Test func includeObjectVariants() throws {
        let pods = try TableFixture.resource("pods")
        let full = TableConverter.table(for: pods, list: Self.podList(), includeObject: .object, now: TableFixture.now)
        #expect(full[path: ["rows"]]?[0]?["object"] == Self.podList()["items"]?[0])
        let none = TableConverter.table(for: pods, list: Self.podList(), includeObject: .none, now: TableFixture.now)
        #expect(none[path: ["rows"]]?[0]?["object"] == nil)
        #expect(none[path: ["rows"]]?[0]?["cells"]?.array?.count == 9)
        // A full object without kind/apiVersion gets them, as upstream's conversion to the request version does.
        var bare = TableFixture.object("x")
        bare["spec"] = ["containers": []]
        let single = TableConverter.table(for: pods, object: bare, includeObject: .object, now: TableFixture.now)
        #expect(single[path: ["rows"]]?[0]?["object"]?.kind == "Pod")
        #expect(single[path: ["rows"]]?[0]?["object"]?.apiVersion == "v1")
        #expect(TableIncludeObject(rawValue: "Object") == .object)
        #expect(TableIncludeObject(rawValue: "Metadata") == .metadata)
        #expect(TableIncludeObject(rawValue: "None") == TableIncludeObject.none)
    }

    @Test func singleObjectTable() throws {
        let item = try #require(Self.podList()["items"]?[0])
        let table = try TableFixture.table("pods", item)
        #expect(table["metadata"] == ["resourceVersion": "41"])
        #expect(table["columnDefinitions"]?.array?.count == 9)
        #expect(table["rows"]?.array?.count == 1)
        #expect(table[path: ["rows"]]?[0]?["cells"]?[0] == "web")
    }

    @Test func emptyListHasColumnsAndNoRows() throws {
        let list: JSONValue = ["kind": "ConfigMapList", "apiVersion": "v1", "metadata": ["resourceVersion": "7"], "items": []]
        let table = TableConverter.table(for: try TableFixture.resource("configmaps"), list: list, includeObject: .metadata,
                                         now: TableFixture.now)
        #expect(table["rows"] == [])
        #expect(table["metadata"] == ["resourceVersion": "7"])
        #expect(table["columnDefinitions"]?.array?.count == 3)
    }

    @Test func watchEventsCarryHeadersOnlyFirst() throws {
        let pods = try TableFixture.resource("pods")
        let item = try #require(Self.podList()["items"]?[0])
        let first = TableConverter.watchEvent(for: pods, event: ["type": "ADDED", "object": item], includeObject: .metadata,
                                              first: true, now: TableFixture.now)
        #expect(first["type"] == "ADDED")
        #expect(first[path: ["object", "kind"]] == "Table")
        #expect(first[path: ["object", "columnDefinitions"]]?.array?.count == 9)
        #expect(first[path: ["object", "metadata", "resourceVersion"]] == "41")
        #expect(first[path: ["object", "rows"]]?[0]?["cells"]?[2] == "Running")
        let later = TableConverter.watchEvent(for: pods, event: ["type": "DELETED", "object": item], includeObject: .metadata,
                                              first: false, now: TableFixture.now)
        #expect(later["type"] == "DELETED")
        #expect(later[path: ["object", "columnDefinitions"]] == [])
        #expect(later[path: ["object", "rows"]]?[0]?["cells"]?[0] == "web")
        #expect(later[path: ["object", "rows"]]?[0]?[path: ["object", "kind"]] == "PartialObjectMetadata")
    }

    @Test func bookmarksErrorsAndStatusesPassThrough() throws {
        let pods = try TableFixture.resource("pods")
        let bookmark: JSONValue = ["type": "BOOKMARK", "object": ["kind": "Pod", "apiVersion": "v1",
                                                                   "metadata": ["resourceVersion": "99"]]]
        let error: JSONValue = ["type": "ERROR", "object": ["kind": "Status", "apiVersion": "v1", "status": "Failure",
                                                             "reason": "Expired", "code": 410]]
        let status: JSONValue = ["type": "MODIFIED", "object": ["kind": "Status", "apiVersion": "v1"]]
        for event in [bookmark, error, status, ["type": "ADDED"]] as [JSONValue] {
            let converted = TableConverter.watchEvent(for: pods, event: event, includeObject: .metadata, first: true,
                                                      now: TableFixture.now)
            #expect(converted.isIdentical(to: event))
        }
    }

    @Test func defaultColumnsForKindsWithoutPrinters() throws {
        #expect(try TableFixture.columns("roles", group: "rbac.authorization.k8s.io") == ["Name", "Created At"])
        #expect(try TableFixture.columns("clusterroles", group: "rbac.authorization.k8s.io") == ["Name", "Created At"])
        #expect(try TableFixture.columns("limitranges") == ["Name", "Created At"])
        let table = try TableFixture.table("roles", group: "rbac.authorization.k8s.io",
                                           TableFixture.object("reader", age: 3600))
        #expect(table["columnDefinitions"]?[1]?["type"] == "date")
        #expect(table["columnDefinitions"]?[0]?["format"] == "name")
        #expect(table[path: ["rows"]]?[0]?["cells"] == ["reader", "2026-01-10T11:00:00Z"])
        let undated = try TableFixture.cells("roles", group: "rbac.authorization.k8s.io", ["metadata": ["name": "r"]])
        #expect(undated == ["r", "0001-01-01T00:00:00Z"])
    }

    @Test func everyColumnSetFillsEveryColumn() throws {
        // A bare object must not trip any rule, and each row must have one cell per column.
        for resource in ResourceTable.resources {
            let table = TableConverter.table(for: resource, object: TableFixture.object("x"), includeObject: .none,
                                             now: TableFixture.now)
            let columns = table["columnDefinitions"]?.array?.count ?? 0
            #expect(columns >= 2, "\(resource.qualifiedName)")
            #expect(table[path: ["rows"]]?[0]?["cells"]?.array?.count == columns, "\(resource.qualifiedName)")
            #expect(table["columnDefinitions"]?.array?.filter { $0["format"] == "name" }.isEmpty == false,
                    "\(resource.qualifiedName)")
        }
    }

    @Test func registryListConvertsEndToEnd() async throws {
        let h = try await RegistryHarness()
        _ = await h.send(.create, resource: "pods", namespace: "default", body: RegistryHarness.pod("a", labels: ["x": "y"]))
        _ = await h.send(.create, resource: "pods", namespace: "default", body: RegistryHarness.pod("b"))
        let list = await h.send(.list, resource: "pods", namespace: "default")
        let table = TableConverter.table(for: try TableFixture.resource("pods"), list: list.body, includeObject: .metadata,
                                         now: .now())
        #expect(table["metadata"]?["resourceVersion"] == list.body[path: ["metadata", "resourceVersion"]])
        let rows = try #require(table["rows"]?.array)
        #expect(rows.compactMap { $0["cells"]?[0]?.string } == ["a", "b"])
        #expect(rows[0]["cells"]?[1] == "0/1")
        #expect(rows[0]["cells"]?[2] == "Pending")
        #expect(rows[0]["cells"]?[4]?.string?.hasSuffix("s") == true)
        #expect(rows[0][path: ["object", "metadata", "labels", "x"]] == "y")
        await h.close()
    }
}
