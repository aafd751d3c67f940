import Foundation
import Testing
@testable import Kubelet

#if canImport(Glibc)
    import Glibc
#endif

/// Whiteouts in overlayfs form, per-container overlay rootfs, in-use protection. Every mount is undone by
/// `ImageTests.withStore` even when an expectation fails.
@Suite(.enabled(if: ImageTests.isRoot, ImageTests.rootReason))
struct ImageRootfsTests {
    static let lower = TestLayer(entries: [
        .directory("a"), .file("a/keep", "keep"), .file("a/gone", "gone"),
        .directory("b"), .file("b/old", "old"), .directory("b/sub"), .file("b/sub/deep", "deep"),
        .directory("c"), .file("c/x", "x"),
    ], gzip: true)
    static let upper = TestLayer(entries: [
        .directory("a"), .file("a/.wh.gone", ""),
        .directory("b"), .file("b/.wh..wh..opq", ""), .file("b/new", "new"),
        .file(".wh.c", ""), .file(".wh..wh.plnk", ""),
    ])

    @Test func whiteoutsBecomeOverlayWhiteouts() throws {
        try ImageTests.withStore { store, work in
            try ArchiveBuilder(work: work).oci(work + "/w.tar", [TestImage(names: ["wh:1"], layers: [Self.lower, Self.upper])])
            try store.importArchive(work + "/w.tar")
            let image = try #require(try store.resolve("wh:1"))
            let top = image.layerDirectories[1]
            let device = try #require(FileTree.device(top + "/a/gone"))
            #expect(device.isCharacterDevice && device.rdev == 0, "a/.wh.gone became a 0/0 character device")
            #expect(FileTree.device(top + "/c")?.isCharacterDevice == true)
            #expect(ExtendedAttributes.get(top + "/b", name: "trusted.overlay.opaque") == "y")
            #expect(FileTree.kind(top + "/b/.wh..wh..opq") == nil && FileTree.kind(top + "/a/.wh.gone") == nil)
            #expect(FileTree.kind(top + "/.wh..wh.plnk") == nil, "AUFS bookkeeping files are dropped")
            #expect(FileTree.kind(top + "/b/new") == .regular)

            let rootfs = try store.prepareRootfs(containerID: "wh-test", image: image)
            #expect(FileTree.kind(rootfs + "/a/keep") == .regular)
            #expect(FileTree.kind(rootfs + "/a/gone") == nil, "whited-out file is hidden")
            #expect(FileTree.kind(rootfs + "/b/old") == nil && FileTree.kind(rootfs + "/b/sub") == nil, "opaque dir hides the lower dir")
            #expect(try String(contentsOfFile: rootfs + "/b/new", encoding: .utf8) == "new")
            #expect(FileTree.kind(rootfs + "/c") == nil, "whited-out directory is hidden")
            try store.releaseRootfs(containerID: "wh-test")
            #expect(ImageTests.mounts(under: work).isEmpty)
        }
    }

    @Test(.enabled(if: ImageTests.hasBusybox, ImageTests.busyboxReason))
    func overlayRootfsRunsBusyboxAndKeepsLayersReadOnly() throws {
        try ImageTests.withStore { store, work in
            try ArchiveBuilder(work: work).oci(work + "/bb.tar", [TestImage(names: ["busybox:test"], layers: [.busybox])])
            try store.importArchive(work + "/bb.tar")
            let image = try #require(try store.resolve("busybox:test"))
            let rootfs = try store.prepareRootfs(containerID: "c1", image: image)
            #expect(rootfs == store.rootfsPath(containerID: "c1"))
            #expect(FileTree.isMountPoint(rootfs))
            #expect(try store.prepareRootfs(containerID: "c1", image: image) == rootfs, "idempotent while mounted")
            #expect(ImageTests.mounts(under: work).count == 1)

            let ran = try ImageTests.run("chroot", [rootfs, "/bin/sh", "-c", "echo hello > /tmp/out && cat /tmp/out && rm /bin/ls"])
            #expect(ran.status == 0 && ran.output == "hello\n", "\(ran.output)")
            #expect(FileTree.kind(image.layerDirectories[0] + "/bin/ls") == .symlink, "the shared layer is untouched")
            #expect(FileTree.kind(store.containerDirectory("c1") + "/upper/tmp/out") == .regular, "writes land in the upper dir")

            // A second container from the same image sees the pristine image.
            let other = try store.prepareRootfs(containerID: "c2", image: image)
            #expect(FileTree.kind(other + "/bin/ls") == .symlink && FileTree.kind(other + "/tmp/out") == nil)
            #expect(try store.containerIDs() == ["c1", "c2"])

            // In use: rm is refused while a container's rootfs comes from the image.
            let refused = #expect(throws: ImageStoreError.self) { try store.remove("busybox:test") }
            #expect(refused?.description.contains("in use by container(s) c1, c2") == true)

            try store.releaseRootfs(containerID: "c1")
            try store.releaseRootfs(containerID: "c2")
            try store.releaseRootfs(containerID: "c2")  // releasing twice is harmless
            #expect(ImageTests.mounts(under: work).isEmpty)
            #expect(store.entries(store.containersDir).isEmpty)
            try store.remove("busybox:test")
            #expect(store.entries(store.layersDir).isEmpty)
        }
    }

    @Test(.enabled(if: ImageTests.hasBusybox, ImageTests.busyboxReason))
    func retaggedImageKeepsLayersOfRunningContainers() throws {
        try ImageTests.withStore { store, work in
            let builder = ArchiveBuilder(work: work)
            try builder.oci(work + "/v1.tar", [TestImage(names: ["app:1"], layers: [.busybox])])
            try builder.oci(work + "/v2.tar", [TestImage(names: ["app:1"], layers: [TestLayer(entries: [.file("v2", "2")])])])
            try store.importArchive(work + "/v1.tar")
            let v1 = try #require(try store.resolve("app:1"))
            let rootfs = try store.prepareRootfs(containerID: "old", image: v1)
            try store.importArchive(work + "/v2.tar")
            #expect(FileManager.default.fileExists(atPath: v1.layerDirectories[0] + "/bin/busybox"), "still used by container 'old'")
            #expect(try ImageTests.run("chroot", [rootfs, "/bin/echo", "ok"]).output == "ok\n")
            try store.releaseRootfs(containerID: "old")
            #expect(!FileManager.default.fileExists(atPath: v1.layerDirectories[0]), "collected once the container is gone")
        }
    }

    @Test func rootfsIsMountedAgainFromItsRecordAfterAnUnmount() throws {
        try ImageTests.withStore { store, work in
            try ArchiveBuilder(work: work).oci(work + "/w.tar", [TestImage(names: ["wh:1"], layers: [Self.lower])])
            try store.importArchive(work + "/w.tar")
            let image = try #require(try store.resolve("wh:1"))
            let rootfs = try store.prepareRootfs(containerID: "reboot", image: image)
            try ImageTests.write("mine", to: rootfs + "/a/written")
            // As after a reboot: the mount is gone, the record and upper dir remain.
            #expect(umount2(rootfs, 0) == 0)
            #expect(try store.prepareRootfs(containerID: "reboot", image: image) == rootfs)
            #expect(try String(contentsOfFile: rootfs + "/a/written", encoding: .utf8) == "mine")
            try store.releaseRootfs(containerID: "reboot")
        }
    }

    @Test func manyLayersFitThroughShortLinks() throws {
        try ImageTests.withStore { _, work in
            // 60 layers under a long store path: full layer paths would need ~7 KB of lowerdir, over the one-page limit.
            let deep = work + "/" + String(repeating: "long-directory-name/", count: 4)
            let deepStore = ImageStore(root: deep + "store")
            let layers = (0..<60).map { TestLayer(entries: [.file("layer-\($0)", "\($0)")]) }
            try ArchiveBuilder(work: work).oci(work + "/many.tar", [TestImage(names: ["many:1"], layers: layers)])
            try deepStore.importArchive(work + "/many.tar")
            let image = try #require(try deepStore.resolve("many:1"))
            #expect(image.layerDirectories.count == 60)
            #expect(image.layerDirectories.joined(separator: ":").utf8.count > 4096)
            let rootfs = try deepStore.prepareRootfs(containerID: "many", image: image)
            #expect(try String(contentsOfFile: rootfs + "/layer-0", encoding: .utf8) == "0")
            #expect(try String(contentsOfFile: rootfs + "/layer-59", encoding: .utf8) == "59")
            try deepStore.releaseRootfs(containerID: "many")
        }
    }

    @Test func failedMountLeavesNoContainerDirectory() throws {
        try ImageTests.withStore { store, work in
            try ArchiveBuilder(work: work).oci(work + "/w.tar", [TestImage(names: ["wh:1"], layers: [Self.lower])])
            try store.importArchive(work + "/w.tar")
            var image = try #require(try store.resolve("wh:1"))
            image.diffIDs = [try Digest(hex: String(repeating: "0", count: 64))]
            let error = #expect(throws: ImageStoreError.self) { try store.prepareRootfs(containerID: "broken", image: image) }
            #expect(error?.description.contains("is not present") == true)
            #expect(store.entries(store.containersDir).isEmpty)
        }
    }
}
