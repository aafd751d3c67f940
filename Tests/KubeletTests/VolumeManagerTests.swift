import Foundation
import KubeAPI
import Testing
@testable import Kubelet

/// Volumes written to a temporary kubelet root (tmpfs mounts only when root, which these hosts are).
struct VolumeManagerTests {
    static func manager(_ root: String) -> VolumeManager {
        VolumeManager(
            kubeletRoot: root,
            configMap: { _, name in name == "cfg" ? ["data": ["app.conf": "x=1", "other": "y"]] : nil },
            secret: { _, name in name == "sec" ? ["data": ["pw": .string(Data("hunter2".utf8).base64EncodedString())]] : nil },
            persistentVolumeClaim: { _, name in
                name == "data" ? ["spec": ["volumeName": "pv1"], "status": ["phase": "Bound"]] as JSONValue : nil
            },
            persistentVolume: { name in name == "pv1" ? ["spec": ["hostPath": ["path": .string(root + "/pv1")]]] as JSONValue : nil },
            token: { _, account, audience, _, _, _ in "token-for-\(account)-\(audience)" },
            useTmpfs: getuid() == 0)
    }

    @Test func everyVolumeTypeIsPreparedAndRemoved() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kubelet-\(UUID().uuidString)").path
        let manager = Self.manager(root)
        defer {
            try? manager.tearDown(uid: "u1")
            try? FileManager.default.removeItem(atPath: root)
        }
        let pod: JSONValue = [
            "metadata": ["name": "p", "namespace": "default", "uid": "u1", "labels": ["app": "web"]],
            "spec": [
                "serviceAccountName": "sa",
                "volumes": [
                    ["name": "scratch", "emptyDir": .emptyObject],
                    ["name": "mem", "emptyDir": ["medium": "Memory", "sizeLimit": "1Mi"]],
                    ["name": "host", "hostPath": ["path": .string(root + "/host"), "type": "DirectoryOrCreate"]],
                    ["name": "config", "configMap": ["name": "cfg", "items": [["key": "app.conf", "path": "conf/app.conf"]]]],
                    ["name": "creds", "secret": ["secretName": "sec", "defaultMode": 0o400]],
                    ["name": "info", "downwardAPI": ["items": [["path": "labels", "fieldRef": ["fieldPath": "metadata.labels"]]]]],
                    ["name": "token", "projected": ["sources": [["serviceAccountToken": ["path": "token", "audience": "api"]],
                                                                  ["configMap": ["name": "cfg"]]]]],
                    ["name": "data", "persistentVolumeClaim": ["claimName": "data"]],
                ],
            ],
        ]
        let paths = try await manager.setUp(pod)
        func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
        #expect(read(paths["config"]! + "/conf/app.conf") == "x=1")
        #expect(FileManager.default.fileExists(atPath: paths["config"]! + "/other") == false)
        #expect(read(paths["creds"]! + "/pw") == "hunter2")
        #expect(read(paths["info"]! + "/labels") == "app=\"web\"")
        #expect(read(paths["token"]! + "/token") == "token-for-sa-api")
        #expect(read(paths["token"]! + "/other") == "y")
        #expect(paths["data"] == root + "/pv1")
        #expect(FileManager.default.fileExists(atPath: root + "/host"))
        let container: JSONValue = ["volumeMounts": [["name": "config", "mountPath": "/etc/app", "readOnly": true],
                                                     ["name": "scratch", "mountPath": "/work", "subPath": "sub"]]]
        let mounts = try VolumeManager.mounts(for: container, volumePaths: paths)
        #expect(mounts[0] == .init(source: paths["config"]!, destination: "/etc/app", readOnly: true))
        #expect(mounts[1].source == paths["scratch"]! + "/sub" && FileManager.default.fileExists(atPath: mounts[1].source))
        #expect(throws: VolumeError.self) { try VolumeManager.mounts(for: ["volumeMounts": [["name": "x", "subPath": "../etc"]]], volumePaths: ["x": "/tmp"]) }
        _ = try await manager.setUp(pod)  // idempotent refresh
        try manager.tearDown(uid: "u1")
        #expect(!FileManager.default.fileExists(atPath: root + "/pods/u1"))
        #expect(!VolumeManager.isMountPoint(root + "/pods/u1/volumes/kubernetes.io~secret/creds"))
    }

    @Test func aMissingConfigMapIsAnErrorUnlessOptional() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kubelet-\(UUID().uuidString)").path
        let manager = Self.manager(root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let pod: JSONValue = ["metadata": ["uid": "u2", "namespace": "default"],
                              "spec": ["volumes": [["name": "c", "configMap": ["name": "absent"]]]]]
        await #expect(throws: VolumeError.self) { try await manager.setUp(pod) }
        var optional = pod
        optional[path: ["spec", "volumes"]] = [["name": "c", "configMap": ["name": "absent", "optional": true]]]
        #expect(try await manager.setUp(optional)["c"] != nil)
        try manager.tearDown(uid: "u2")
    }
}
