import Foundation
import Manifests

/// `kubeadm-swift init` and `init phase ...`: resolve the configuration, then run the workflow.
public enum InitRunner {
    /// - Parameters:
    ///   - flags: the parsed command-line flags.
    ///   - phase: nil for a full `init`; the words after `init phase` for a single phase or subtree.
    ///   - dryRunRoot: where a dry run writes; nil means `KUBEADM_INIT_DRYRUN_DIR` or a fresh temporary directory.
    public static func run(flags: InitFlags, phase: [String]?, output: Output = .standard, host: HostFacts = .live(),
                           dryRunRoot: String? = nil) async throws {
        let workflow = InitWorkflow.workflow
        let only = try phase.map { try workflow.path(for: $0) }
        let documents = try flags.configFile.map { try ConfigLoader.load(file: $0) }
        let settings = try InitSettings.resolve(flags: flags, documents: documents, host: host)
        try workflow.validateSkips(settings.skipPhases)
        for warning in settings.warnings { output.line(warning) }

        var writeRoot = "/"
        if settings.dryRun {
            writeRoot = try makeDryRunRoot(dryRunRoot)
            output.line("[dryrun] Running in dry-run mode: files are written to \"\(writeRoot)\" instead of this host's paths")
        }
        let data = InitData(settings: settings, writeRoot: writeRoot, kubeconfigDir: flags.kubeconfigDir, output: output, host: host)
        if only == nil {
            output.line("[init] Using Kubernetes version: \(settings.kubernetesVersion)")
        }
        try await workflow.run(data, only: only, skipping: phase == nil ? settings.skipPhases : [])
        if settings.dryRun { DryRunReport.print(root: writeRoot, output: output) }
    }

    /// `KUBEADM_INIT_DRYRUN_DIR` (as in kubeadm) or a fresh directory under $TMPDIR: never under /etc.
    static func makeDryRunRoot(_ requested: String?) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let dir = requested ?? environment["KUBEADM_INIT_DRYRUN_DIR"], !dir.isEmpty {
            try AtomicFile.ensureDirectory(URL(fileURLWithPath: dir), mode: 0o700)
            return dir
        }
        let base = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/kubeadm-swift-init-dryrun-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw AtomicFile.WriteError(path: base, reason: "cannot create a temporary directory for the dry run")
        }
        return String(cString: made)
    }
}

/// Lists what a dry run wrote, with the node path each file would have had. Never prints file contents,
/// so no key material reaches the terminal.
enum DryRunReport {
    static func print(root: String, output: Output) {
        let files = listFiles(root)
        for file in files {
            let realPath = String(file.dropFirst(root.count))
            output.line("[dryrun] Would write file \"\(realPath.hasPrefix("/") ? realPath : "/" + realPath)\"")
        }
        output.line("[dryrun] Wrote \(files.count) files to the temporary directory \"\(root)\"; nothing on this host was changed")
    }

    static func listFiles(_ root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let full = (root as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(full)
            }
        }
        return files.sorted()
    }
}
