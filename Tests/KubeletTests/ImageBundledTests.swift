import Foundation
import Manifests
import Testing
@testable import Kubelet

/// The bundled control-plane image: a real rootfs holding the kubeadm-swift binary and its shared libraries.
@Suite(.enabled(if: ImageTests.isRoot, ImageTests.rootReason))
struct ImageBundledTests {
    /// `KUBEADM_SWIFT_BIN`, else the debug build next to the package (`swift build --build-tests` makes it).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["KUBEADM_SWIFT_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/kubeadm-swift").path
    }

    /// chroot with /proc mounted, as runc would provide it: the Swift runtime reads the command line from
    /// /proc/self/cmdline. The proc mount lives in a private mount namespace and vanishes with the process.
    static func runInside(_ root: String, _ command: [String]) throws -> (status: Int32, output: String) {
        try ImageTests.run("unshare", ["--mount", "--pid", "--fork", "--mount-proc=\(root)/proc", "chroot", root] + command)
    }

    @Test func bundledImageRunsTheBinaryInItsOwnRootfs() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary),
                     "\(Self.binary) is missing: run 'swift build --build-tests' first (or set KUBEADM_SWIFT_BIN)")
        try ImageTests.withStore { store, work in
            let image = try store.ensureBundledImage(executable: Self.binary)
            #expect(image.reference.description == WellKnown.bundledImage())
            #expect(image.config.entrypoint == ["/usr/local/bin/kubeadm-swift"])
            #expect(image.diffIDs.count == 1)
            let layer = image.layerDirectories[0]
            #expect(FileManager.default.isExecutableFile(atPath: layer + "/usr/local/bin/kubeadm-swift"))
            #expect(FileTree.kind(layer + "/bin/sh") == nil, "a real rootfs, not the host's: no shell in it")

            // The layer alone is a working root: the loader finds every library inside it.
            let direct = try Self.runInside(layer, ["/usr/local/bin/kubeadm-swift", "version", "-o", "short"])
            #expect(direct.status == 0, "\(direct.output)")
            #expect(direct.output.contains(WellKnown.kubernetesVersion))

            // And through a container's overlay rootfs.
            let rootfs = try store.prepareRootfs(containerID: "apiserver", image: image)
            let inContainer = try Self.runInside(rootfs, ["/usr/local/bin/kubeadm-swift", "version", "-o", "short"])
            #expect(inContainer.status == 0 && inContainer.output.contains(WellKnown.kubernetesVersion), "\(inContainer.output)")
            try store.releaseRootfs(containerID: "apiserver")

            // Up to date: the same binary gives the same image without rebuilding.
            let again = try store.ensureBundledImage(executable: Self.binary)
            #expect(again.digest == image.digest && again.id == image.id)
            #expect(try store.list().map(\.reference.description) == [WellKnown.bundledImage()])
            #expect(ImageTests.mounts(under: work).isEmpty)
        }
    }

    /// The DESIGN.md path for static pods: runc starting the component from the bundled image's overlay rootfs.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/runc"), "runc is not installed (apt-get install -y runc)"))
    func bundledImageRunsUnderRunc() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "\(Self.binary) is missing: run 'swift build --build-tests' first")
        try ImageTests.withStore { store, work in
            let image = try store.ensureBundledImage(executable: Self.binary)
            let id = "kswift-images-test-\(getpid())"
            let rootfs = try store.prepareRootfs(containerID: id, image: image)
            let bundle = work + "/bundle"
            try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
            try #require(ImageTests.run("runc", ["spec", "--bundle", bundle]).status == 0)
            var spec = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bundle + "/config.json"))) as? [String: Any] ?? [:]
            var process = spec["process"] as? [String: Any] ?? [:]
            process["terminal"] = false
            process["args"] = image.config.entrypoint + ["version", "-o", "short"]
            spec["process"] = process
            spec["root"] = ["path": rootfs, "readonly": true]
            try ArchiveBuilder.json(spec).write(to: URL(fileURLWithPath: bundle + "/config.json"))
            let state = work + "/runc-state"
            defer {
                _ = try? ImageTests.run("runc", ["--root", state, "delete", "--force", id])
                try? store.releaseRootfs(containerID: id)
            }
            let ran = try ImageTests.run("runc", ["--root", state, "run", "--bundle", bundle, id])
            #expect(ran.status == 0 && ran.output.contains(WellKnown.kubernetesVersion), "\(ran.output)")
        }
    }

    @Test(.enabled(if: ImageTests.hasBusybox, ImageTests.busyboxReason))
    func aNewBinaryRebuildsTheImageAndDropsTheOldLayer() throws {
        try ImageTests.withStore { store, work in
            // busybox is static: ldd reports no libraries, so the layer is just the binary and the base files.
            let first = try store.ensureBundledImage(executable: "/bin/busybox", reference: "kubeadm-swift.local/test:v1")
            #expect(FileTree.kind(first.layerDirectories[0] + "/lib") == nil)
            #expect(FileTree.kind(first.layerDirectories[0] + "/etc/passwd") == .regular)
            let modified = work + "/busybox-2"
            try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: modified)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: modified))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data([0]))
            try handle.close()
            let second = try store.ensureBundledImage(executable: modified, reference: "kubeadm-swift.local/test:v1")
            #expect(second.id != first.id)
            #expect(second.config.labels[ImageStore.binaryDigestLabel] != first.config.labels[ImageStore.binaryDigestLabel])
            #expect(!FileManager.default.fileExists(atPath: first.layerDirectories[0]))
            #expect(try store.list().count == 1)
            let ran = try ImageTests.run("chroot", [second.layerDirectories[0], "/usr/local/bin/kubeadm-swift"])
            #expect(ran.output.contains("applet not found"), "the copied binary runs in the layer: \(ran.output)")
        }
    }
}
