import ArgumentParser
import Bootstrap
import Foundation

/// Runs a command body and turns its failure into kubeadm's output and exit codes
/// (1 general, 2 preflight, 3 validation), without a stack of Swift error text.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        let report = ErrorReport(error)
        FileHandle.standardError.write(Data((report.message + "\n").utf8))
        throw ExitCode(report.exitCode)
    }
}
