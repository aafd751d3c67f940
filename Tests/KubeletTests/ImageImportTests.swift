import Foundation
import Testing
@testable import Kubelet

/// Importing OCI and `docker save` archives: digests checked, layers shared, names normalized, list and rm.
@Suite(.enabled(if: ImageTests.isRoot, ImageTests.rootReason))
struct ImageImportTests {
    static let base = TestLayer(entries: [.directory("etc"), .file("etc/os-release", "ID=test\n"), .file("hello.txt", "hello\n")],
                                gzip: true)
    static let app = TestLayer(entries: [.directory("app"), .file("app/run.sh", "echo app\n")])

    @Test func importsAnOCIArchive() throws {
        try ImageTests.withStore { store, work in
            let archive = work + "/oci.tar"
            try ArchiveBuilder(work: work).oci(archive, [
                TestImage(names: ["docker.io/library/sample:1.0"], layers: [Self.base, Self.app], cmd: ["/app/run.sh"],
                          env: ["PATH=/bin", "MODE=test"], workingDir: "/app", exposedPorts: ["8080/tcp", "53/udp"]),
            ])
            let imported = try store.importArchive(archive)
            #expect(imported.map(\.description) == ["docker.io/library/sample:1.0"])

            let image = try #require(try store.resolve("sample:1.0"))
            #expect(image.reference.description == "docker.io/library/sample:1.0")
            #expect(image.config.cmd == ["/app/run.sh"])
            #expect(image.config.entrypoint.isEmpty)
            #expect(image.config.env == ["PATH=/bin", "MODE=test"])
            #expect(image.config.workingDir == "/app")
            #expect(image.config.exposedPorts == ["53/udp", "8080/tcp"])
            #expect(image.created != nil, "Go-style nanosecond timestamps parse")
            #expect(image.layerDirectories.count == 2)
            #expect(try String(contentsOfFile: image.layerDirectories[0] + "/hello.txt", encoding: .utf8) == "hello\n")
            #expect(FileManager.default.fileExists(atPath: image.layerDirectories[1] + "/app/run.sh"))
            #expect(store.entries(store.tmpDir).isEmpty, "staging is cleaned up")
        }
    }

    @Test func importsADockerSaveArchive() throws {
        try ImageTests.withStore { store, work in
            let archive = work + "/docker.tar"
            try ArchiveBuilder(work: work).docker(archive, [
                TestImage(names: ["sample:2", "registry.local:5000/team/sample:2"], layers: [Self.base, Self.app]),
            ])
            #expect(try ImagesCommands.importArchives([archive], into: store)
                == ["Loaded image: docker.io/library/sample:2", "Loaded image: registry.local:5000/team/sample:2"])
            let first = try #require(try store.resolve("docker.io/library/sample:2"))
            let second = try #require(try store.resolve("registry.local:5000/team/sample:2"))
            #expect(first.id == second.id)
            #expect(first.diffIDs.count == 2)
            #expect(try String(contentsOfFile: first.layerDirectories[1] + "/app/run.sh", encoding: .utf8) == "echo app\n")
        }
    }

    @Test func gzipCompressedOuterArchiveIsAccepted() throws {
        try ImageTests.withStore { store, work in
            let archive = work + "/docker.tar"
            try ArchiveBuilder(work: work).docker(archive, [TestImage(names: ["zipped:1"], layers: [Self.app])])
            try #require(ImageTests.run("gzip", ["-n", archive]).status == 0)
            #expect(try store.importArchive(archive + ".gz").map(\.description) == ["docker.io/library/zipped:1"])
        }
    }

    @Test func layersAreUnpackedOnceAndShared() throws {
        try ImageTests.withStore { store, work in
            let builder = ArchiveBuilder(work: work)
            try builder.oci(work + "/a.tar", [TestImage(names: ["one:1"], layers: [Self.base])])
            try builder.docker(work + "/b.tar", [TestImage(names: ["two:1"], layers: [Self.base, Self.app])])
            try store.importArchive(work + "/a.tar")
            let marker = try #require(try store.resolve("one:1")).layerDirectories[0] + "/marker"
            try ImageTests.write("kept", to: marker)
            try store.importArchive(work + "/b.tar")
            let one = try #require(try store.resolve("one:1"))
            let two = try #require(try store.resolve("two:1"))
            #expect(one.diffIDs[0] == two.diffIDs[0], "gzip vs plain blobs of one layer have the same diff ID")
            #expect(FileManager.default.fileExists(atPath: marker), "the existing layer was reused, not unpacked again")
            #expect(store.entries(store.layersDir).count == 2)
        }
    }

    @Test func ociNamesComeFromContainerdAnnotationOrRefName() throws {
        try ImageTests.withStore { store, work in
            let builder = ArchiveBuilder(work: work)
            try builder.oci(work + "/containerd.tar", [TestImage(names: ["quay.io/org/tool:3"], layers: [Self.app])],
                            annotate: { [Annotation.containerdName: $0, Annotation.refName: "3"] })
            #expect(try store.importArchive(work + "/containerd.tar").map(\.description) == ["quay.io/org/tool:3"])
            try builder.oci(work + "/plain.tar", [TestImage(names: ["tool"], layers: [Self.app])])
            #expect(try store.importArchive(work + "/plain.tar").map(\.description) == ["docker.io/library/tool:latest"])
        }
    }

    @Test func multiPlatformIndexPicksThisMachinesImage() throws {
        try ImageTests.withStore { store, work in
            // index.json -> image index {other platform, this platform} -> manifest, as multi-arch OCI archives are.
            try ArchiveBuilder(work: work).oci(work + "/multi.tar", [TestImage(names: ["multi:1"], layers: [Self.app])],
                                               tamper: { layout in
                let indexPath = layout + "/index.json"
                var index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: indexPath))) as? [String: Any] ?? [:]
                var entry = (index["manifests"] as? [[String: Any]])?.first ?? [:]
                let manifest = entry
                let nested = try ArchiveBuilder.json(["schemaVersion": 2, "mediaType": MediaType.ociIndex, "manifests": [
                    manifest.merging(["platform": ["os": "linux", "architecture": "s390x"],
                                      "digest": "sha256:" + String(repeating: "f", count: 64)]) { $1 },
                    manifest.merging(["platform": ["os": "linux", "architecture": ArchiveContents.hostArchitecture]]) { $1 },
                ]])
                let digest = try ArchiveBuilder.sha(nested)
                try nested.write(to: URL(fileURLWithPath: layout + "/blobs/sha256/" + digest.dropFirst(7)))
                entry["mediaType"] = MediaType.ociIndex
                entry["digest"] = digest
                entry["size"] = nested.count
                index["manifests"] = [entry]
                try ArchiveBuilder.json(index).write(to: URL(fileURLWithPath: indexPath))
            })
            #expect(try store.importArchive(work + "/multi.tar").map(\.description) == ["docker.io/library/multi:1"])
            #expect(try store.resolve("multi:1")?.config.architecture == ArchiveContents.hostArchitecture)
        }
    }

    @Test func unnamedImagesAreRefused() throws {
        try ImageTests.withStore { store, work in
            try ArchiveBuilder(work: work).oci(work + "/anon.tar", [TestImage(names: [], layers: [Self.app])])
            let error = #expect(throws: ImageStoreError.self) { try store.importArchive(work + "/anon.tar") }
            #expect(error?.description.contains("without a name") == true)
            #expect(try store.list().isEmpty)
        }
    }

    @Test func notAnArchiveIsExplained() throws {
        try ImageTests.withStore { store, work in
            try ImageTests.write("hello", to: work + "/text.tar")
            let garbage = #expect(throws: ImageStoreError.self) { try store.importArchive(work + "/text.tar") }
            #expect(garbage?.description.contains("is not an image archive") == true)
            let missing = #expect(throws: ImageStoreError.self) { try store.importArchive(work + "/nope.tar") }
            #expect(missing?.description.contains("does not exist") == true)
            try FileManager.default.createDirectory(atPath: work + "/empty", withIntermediateDirectories: true)
            try ImageTests.write("x", to: work + "/empty/readme")
            _ = try ImageTests.run("tar", ["-c", "-f", work + "/other.tar", "-C", work + "/empty", "."])
            let other = #expect(throws: ImageStoreError.self) { try store.importArchive(work + "/other.tar") }
            #expect(other?.description.contains("neither index.json") == true)
        }
    }

    // MARK: Digest verification: each corrupt archive is refused and leaves the store exactly as it was.

    /// Imports `good:1` first, then checks that a failing import leaves nothing of its own behind.
    private func expectRefused(_ make: (ArchiveBuilder, String) throws -> Void, mentioning text: String) throws {
        try ImageTests.withStore { store, work in
            let builder = ArchiveBuilder(work: work)
            try builder.oci(work + "/good.tar", [TestImage(names: ["good:1"], layers: [Self.base])])
            try store.importArchive(work + "/good.tar")
            let layersBefore = store.entries(store.layersDir).sorted()
            let blobsBefore = store.entries(store.blobsDir).sorted()
            try make(builder, work + "/bad.tar")
            let error = #expect(throws: ImageStoreError.self) { try store.importArchive(work + "/bad.tar") }
            #expect(error?.description.contains(text) == true, "\(String(describing: error))")
            #expect(try store.list().map(\.reference.description) == ["docker.io/library/good:1"])
            #expect(store.entries(store.layersDir).sorted() == layersBefore)
            #expect(store.entries(store.blobsDir).sorted() == blobsBefore)
            #expect(store.entries(store.linksDir).count == layersBefore.count)
            #expect(store.entries(store.tmpDir).isEmpty)
        }
    }

    /// Replaces the content of the blob whose digest is listed in `file`'s JSON at `key` (config or layer).
    private static func corruptBlob(in layout: String, pick: ([String: Any]) -> String?) throws {
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: layout + "/index.json"))) as? [String: Any]
        let entry = (index?["manifests"] as? [[String: Any]])?.last
        let manifestHex = String((entry?["digest"] as? String ?? "").dropFirst(7))
        let manifest = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: layout + "/blobs/sha256/" + manifestHex))) as? [String: Any] ?? [:]
        let hex = String((pick(manifest) ?? "").dropFirst(7))
        let path = layout + "/blobs/sha256/" + hex
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.append(0x0a)
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    @Test func corruptLayerBlobIsRefused() throws {
        try expectRefused({ builder, path in
            try builder.oci(path, [TestImage(names: ["bad:1"], layers: [Self.base, Self.app])], tamper: { layout in
                try Self.corruptBlob(in: layout) { (($0["layers"] as? [[String: Any]])?.last?["digest"]) as? String }
            })
        }, mentioning: "has digest")
    }

    @Test func corruptConfigIsRefused() throws {
        try expectRefused({ builder, path in
            try builder.oci(path, [TestImage(names: ["bad:1"], layers: [Self.app])], tamper: { layout in
                try Self.corruptBlob(in: layout) { ($0["config"] as? [String: Any])?["digest"] as? String }
            })
        }, mentioning: "image config")
    }

    @Test func wrongDiffIDIsRefused() throws {
        // A docker archive whose layer.tar does not match the config's diff_ids (a layer swapped after saving).
        try expectRefused({ builder, path in
            try builder.docker(path, [TestImage(names: ["bad:1"], layers: [Self.app, Self.base])]) { layout in
                let manifest = try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: layout + "/manifest.json"))) as? [[String: Any]]
                let layers = manifest?.first?["Layers"] as? [String] ?? []
                let replacement = try TestLayer(entries: [.file("evil", "x")]).tar(in: layout)
                try replacement.write(to: URL(fileURLWithPath: layout + "/" + layers[1]))
            }
        }, mentioning: "diff_id")
    }

    @Test func dockerConfigNamedByWrongDigestIsRefused() throws {
        try expectRefused({ builder, path in
            try builder.docker(path, [TestImage(names: ["bad:1"], layers: [Self.app])]) { layout in
                let manifestPath = layout + "/manifest.json"
                let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as? [[String: Any]]
                let config = manifest?.first?["Config"] as? String ?? ""
                var bytes = try Data(contentsOf: URL(fileURLWithPath: layout + "/" + config))
                bytes.append(0x20)
                try bytes.write(to: URL(fileURLWithPath: layout + "/" + config))
            }
        }, mentioning: "has digest")
    }

    @Test func pathsOutsideTheArchiveAreRefused() throws {
        try expectRefused({ builder, path in
            try builder.docker(path, [TestImage(names: ["bad:1"], layers: [Self.app])]) { layout in
                let manifestPath = layout + "/manifest.json"
                var manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as? [[String: Any]] ?? []
                manifest[0]["Layers"] = ["../../../../etc/hostname"]
                try ArchiveBuilder.json(manifest).write(to: URL(fileURLWithPath: manifestPath))
            }
        }, mentioning: "outside the archive")
    }

    // MARK: list, rm, resolve

    @Test func listRemoveAndResolveByID() throws {
        try ImageTests.withStore { store, work in
            let builder = ArchiveBuilder(work: work)
            try builder.docker(work + "/a.tar", [TestImage(names: ["multi:1", "multi:latest"], layers: [Self.base, Self.app])])
            try builder.oci(work + "/b.tar", [TestImage(names: ["other:1"], layers: [Self.base])])
            try store.importArchive(work + "/a.tar")
            try store.importArchive(work + "/b.tar")
            let listed = try store.list()
            #expect(listed.map(\.reference.description) == ["docker.io/library/multi:1", "docker.io/library/multi:latest",
                                                            "docker.io/library/other:1"])
            #expect(listed.allSatisfy { $0.size > 0 })
            let table = try ImagesCommands.listTable(store)
            #expect(table.hasPrefix("IMAGE "))
            #expect(table.contains("docker.io/library/multi") && table.contains(listed[0].id.hex.prefix(13)))

            let multi = try #require(try store.resolve("multi"))
            #expect(try store.resolve(String(multi.id.hex.prefix(12)))?.id == multi.id)
            #expect(try store.resolve(multi.id.description)?.id == multi.id)
            #expect(try store.resolve("docker.io/library/multi@" + multi.digest.description)?.id == multi.id)
            #expect(try store.resolve("multi:2") == nil)

            // One tag goes; the image stays for the other tag.
            #expect(try store.remove("multi:1").map(\.description) == ["docker.io/library/multi:1"])
            #expect(FileManager.default.fileExists(atPath: multi.layerDirectories[1]))
            // By ID: every remaining tag, then the layers only it used; the shared base layer stays.
            #expect(try store.remove(String(multi.id.hex.prefix(12))).map(\.description) == ["docker.io/library/multi:latest"])
            #expect(!FileManager.default.fileExists(atPath: multi.layerDirectories[1]))
            #expect(FileManager.default.fileExists(atPath: multi.layerDirectories[0]))
            #expect(!FileManager.default.fileExists(atPath: store.blobPath(multi.id)))
            #expect(try store.list().map(\.reference.description) == ["docker.io/library/other:1"])

            let missing = #expect(throws: ImageStoreError.self) { try store.remove("multi:1") }
            #expect(missing?.description.contains("images import") == true)
            #expect(try ImagesCommands.remove(["other:1"], from: store) == ["Deleted: docker.io/library/other:1"])
            #expect(store.entries(store.layersDir).isEmpty && store.entries(store.blobsDir).isEmpty && store.entries(store.linksDir).isEmpty)
        }
    }

    @Test func reimportRetagsAndCollectsTheOldImage() throws {
        try ImageTests.withStore { store, work in
            let builder = ArchiveBuilder(work: work)
            try builder.oci(work + "/v1.tar", [TestImage(names: ["app:stable"], layers: [Self.app])])
            try builder.oci(work + "/v2.tar", [TestImage(names: ["app:stable"], layers: [Self.base])])
            try store.importArchive(work + "/v1.tar")
            let old = try #require(try store.resolve("app:stable"))
            try store.importArchive(work + "/v2.tar")
            let new = try #require(try store.resolve("app:stable"))
            #expect(old.id != new.id)
            #expect(!FileManager.default.fileExists(atPath: old.layerDirectories[0]), "the untagged image's layer was collected")
        }
    }

    @Test func ensureImageFindsImportedImages() throws {
        try ImageTests.withStore { store, work in
            try ArchiveBuilder(work: work).oci(work + "/a.tar", [TestImage(names: ["docker.io/library/tool:1"], layers: [Self.app])])
            try store.importArchive(work + "/a.tar")
            #expect(try store.ensureImage("tool:1", policy: .never).reference.description == "docker.io/library/tool:1")
            #expect(try store.ensureImage("docker.io/library/tool:1", policy: .always).config.cmd == ["sh"])
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/work/shared/tools/make-busybox-oci.py") && ImageTests.hasBusybox,
                   "the shared make-busybox-oci.py tool and busybox-static are not on this machine"))
    func importsTheSharedBusyboxArchive() throws {
        try ImageTests.withStore { store, work in
            let made = try ImageTests.run("python3", ["/work/shared/tools/make-busybox-oci.py", work + "/bb.tar"])
            try #require(made.status == 0, "\(made.output)")
            #expect(try store.importArchive(work + "/bb.tar").map(\.description) == ["docker.io/library/busybox:1.36"])
            let image = try #require(try store.resolve("busybox:1.36"))
            #expect(image.config.cmd == ["sh"])
            #expect(FileTree.kind(image.layerDirectories[0] + "/bin/sh") == .symlink)
        }
    }
}
