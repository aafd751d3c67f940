import Manifests
import Preflight

/// Adapts the Preflight module to the init workflow.
enum PreflightPhase {
    static func input(_ data: InitData) -> PreflightInput {
        let s = data.settings
        var input = PreflightInput(nodeName: s.nodeName)
        input.apiServerBindPort = s.bindPort
        if case .localEtcd(let dataDir, _, _) = s.datastore {
            input.localEtcd = true
            input.etcdDataDir = dataDir
        }
        // Checks look at the real node paths even in a dry run: they answer "would init work on this host?".
        input.manifestsDir = data.realPaths.manifestsDir
        input.kubernetesDir = data.realPaths.kubernetesDir
        input.caCertPath = data.realPaths.pkiDir + "/ca.crt"
        input.cniBinDir = data.realPaths.cniBinDir
        return input
    }

    @Sendable static func runInit(_ data: InitData) async throws {
        let ignore = try IgnoreSet(data.settings.ignorePreflightErrors)
        let report = PreflightRunner.run(CheckSets.initChecks(input(data)), on: LiveHost(), ignoring: ignore, output: data.output.line)
        try report.throwIfFatal()
    }
}
