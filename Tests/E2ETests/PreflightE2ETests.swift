import Foundation
import Testing

/// Preflight against a port that is really taken. The test runs the binary in a fresh network namespace
/// (`unshare --net`, root only) so that holding port 6443 there never disturbs the machine.
@Suite(.serialized, .enabled(if: Harness.isRoot && Harness.which("unshare") && Harness.which("python3")))
struct PreflightE2ETests {
    /// Binds 0.0.0.0:6443 inside the namespace, then runs kubeadm-swift with the port held.
    func withPort6443Taken(_ arguments: [String]) throws -> Run {
        let holder = "import socket,subprocess,sys; s=socket.socket(); s.bind(('0.0.0.0',6443)); s.listen(1); "
            + "r=subprocess.run(sys.argv[1:]); sys.exit(r.returncode)"
        return try Harness.run("unshare", ["--net", "python3", "-c", holder, Harness.binary] + arguments)
    }

    @Test func takenPortFailsPreflightWithExitTwo() throws {
        let run = try withPort6443Taken(["init", "phase", "preflight", "--apiserver-advertise-address", "10.1.2.3"])
        #expect(run.status == 2, "\(run.combined)")
        #expect(run.stdout.contains("[preflight] Running pre-flight checks"))
        #expect(run.stderr.contains("[ERROR Port-6443]: Port 6443 is in use"), "\(run.stderr)")
        #expect(run.stderr.contains("error execution phase preflight"))
        #expect(run.stderr.contains("--ignore-preflight-errors"))
    }

    @Test func ignoringThePortTurnsItIntoAWarning() throws {
        let run = try withPort6443Taken(["init", "phase", "preflight", "--apiserver-advertise-address", "10.1.2.3",
                                         "--ignore-preflight-errors=port-6443"])
        #expect(run.stdout.contains("[WARNING Port-6443]"), "\(run.combined)")
        #expect(!run.stderr.contains("[ERROR Port-6443]"), "\(run.stderr)")
    }

    @Test func ignoringAllPasses() throws {
        let run = try withPort6443Taken(["init", "phase", "preflight", "--apiserver-advertise-address", "10.1.2.3", "--ignore-preflight-errors=all"])
        #expect(run.status == 0, "\(run.combined)")
    }
}
