import Foundation
import Testing
@testable import Kubelet

#if canImport(Glibc)
import Glibc
#endif

/// Containers run for real with runc and a busybox rootfs: logs, exit codes, OOM kills, stop with grace, exec,
/// security settings, and a kubelet restart.
@Suite(.serialized, .enabled(if: RuntimeTestHost.available), .timeLimit(.minutes(2)))
struct RuntimeRuncTests {
    @Test func echoLandsInTheCRILog() async throws {
        try await RuntimeTestHost.with { host in
            let spec = host.spec(["sh", "-c", "echo hello; echo oops >&2"])
            try await host.runtime.run(spec)
            let exited = try #require(try await host.runtime.waitForExit(spec.id, timeout: .seconds(20)))
            #expect(exited.exitCode == 0)
            #expect(exited.reason == TerminationReason.completed)
            #expect(exited.logPath == host.configuration.podLogsDirectory
                + "/test_\(host.pod.name)_\(host.pod.uid)/main/0.log")
            try await host.eventually("both lines") { try host.log(spec.id).count == 2 }
            let lines = try host.log(spec.id)
            #expect(lines.contains { $0.stream == .stdout && !$0.partial && $0.content == "hello" })
            #expect(lines.contains { $0.stream == .stderr && $0.content == "oops" })
            #expect(lines.allSatisfy { $0.timestamp.count == 30 && $0.timestamp.hasSuffix("Z") })
            let started = try #require(exited.startedAt)
            let finished = try #require(exited.finishedAt)
            #expect(started <= finished && exited.createdAt <= started)
        }
    }

    @Test func exitCodesPropagate() async throws {
        try await RuntimeTestHost.with { host in
            let failing = host.spec(["sh", "-c", "exit 42"], name: "fail")
            let succeeding = host.spec(["true"], name: "ok")
            try await host.runtime.run(failing)
            try await host.runtime.run(succeeding)
            let failed = try #require(try await host.runtime.waitForExit(failing.id, timeout: .seconds(20)))
            #expect(failed.exitCode == 42)
            #expect(failed.reason == TerminationReason.error)
            let succeeded = try #require(try await host.runtime.waitForExit(succeeding.id, timeout: .seconds(20)))
            #expect(succeeded.exitCode == 0)
            #expect(try host.runtime.list().map(\.id).sorted() == [failing.id, succeeding.id].sorted())
        }
    }

    @Test func memoryHogIsOOMKilled() async throws {
        try await RuntimeTestHost.with { host in
            let spec = host.spec(["dd", "if=/dev/zero", "of=/dev/shm/fill", "bs=1M", "count=100"]) {
                $0.resources = ContainerResources(memoryLimitBytes: 16 << 20)
            }
            try await host.runtime.run(spec)
            let exited = try #require(try await host.runtime.waitForExit(spec.id, timeout: .seconds(30)))
            #expect(exited.exitCode == 137)
            #expect(exited.reason == TerminationReason.oomKilled)
            // The verdict is kept even after the cgroup (and its OOM counter) is gone.
            try await host.runtime.runc.delete(spec.id)
            #expect(try host.runtime.status(spec.id).reason == TerminationReason.oomKilled)
        }
    }

    @Test func stopSendsTheStopSignalThenKills() async throws {
        try await RuntimeTestHost.with { host in
            let polite = host.spec(["sh", "-c", "trap 'echo bye; exit 3' TERM; echo ready; while true; do sleep 0.05; done"], name: "polite")
            let stubborn = host.spec(["sh", "-c", "trap '' TERM; echo ready; while true; do sleep 0.05; done"], name: "stubborn")
            try await host.runtime.run(polite)
            try await host.runtime.run(stubborn)
            try await host.eventually("ready") {
                try host.stdout(polite.id).contains("ready") && host.stdout(stubborn.id).contains("ready")
            }
            let stopped = try await host.runtime.stop(polite.id, gracePeriod: .seconds(10))
            #expect(stopped.exitCode == 3)
            try await host.eventually("bye") { try host.stdout(polite.id).contains("bye") }

            let clock = ContinuousClock()
            let start = clock.now
            let killed = try await host.runtime.stop(stubborn.id, gracePeriod: .milliseconds(300))
            #expect(clock.now - start >= .milliseconds(300))
            #expect(killed.exitCode == 137)
            #expect(killed.reason == TerminationReason.error)
        }
    }

    @Test func execRunsInsideTheContainer() async throws {
        try await RuntimeTestHost.with { host in
            let spec = host.spec(["sleep", "1000"])
            try await host.runtime.run(spec)
            let listing = try await host.runtime.execSync(spec.id, ["ls", "/"])
            #expect(listing.exitCode == 0)
            #expect(listing.output.split(separator: "\n").contains("bin"))
            let failing = try await host.runtime.execSync(spec.id, ["sh", "-c", "echo err >&2; exit 7"])
            #expect(failing.exitCode == 7)
            #expect(String(decoding: failing.stderr, as: UTF8.self) == "err\n")

            let slow = try await host.runtime.execSync(spec.id, ["sleep", "100"], timeout: .milliseconds(200))
            #expect(slow.timedOut)
            #expect(slow.exitCode == 137)

            let cat = try await host.runtime.exec(spec.id, ExecOptions(command: ["cat"], stdin: true))
            try await cat.write(Array("ping\n".utf8))
            cat.closeStdin()
            var echoed: [UInt8] = []
            for await chunk in cat.stdout { echoed += chunk }
            #expect(String(decoding: echoed, as: UTF8.self) == "ping\n")
            #expect(await cat.exitCode() == 0)

            // runc applies the terminal size a moment after the process starts, so look after a short pause.
            let tty = try await host.runtime.exec(
                spec.id, ExecOptions(command: ["sh", "-c", "tty; sleep 0.3; stty size"], tty: true, terminalSize: TerminalSize(columns: 100, rows: 30)))
            tty.resize(TerminalSize(columns: 120, rows: 40))
            var screen: [UInt8] = []
            for await chunk in tty.stdout { screen += chunk }
            let text = String(decoding: screen, as: UTF8.self)
            #expect(text.contains("/dev/pts/"), "tty output: \(text)")
            #expect(text.contains("40 120"), "tty output: \(text)")
            #expect(await tty.exitCode() == 0)

            _ = try await host.runtime.stop(spec.id, gracePeriod: .zero)
            await #expect(throws: RuntimeError.self) { try await host.runtime.execSync(spec.id, ["true"]) }
        }
    }

    @Test func securityContextIsApplied() async throws {
        try await RuntimeTestHost.with { host in
            let script = """
                id -u; id -g; id -G; hostname; grep CapEff /proc/self/status; grep NoNewPrivs /proc/self/status
                touch /rootfs-write 2>/dev/null && echo rw || echo ro; touch /tmp/x 2>/dev/null && echo tmp-rw || echo tmp-ro
                """
            let restricted = host.spec(["sh", "-c", script], name: "restricted") {
                $0.user = ProcessUser(uid: 1000, gid: 1000, additionalGids: [1000, 50])
                $0.hostname = "restricted-pod"
                $0.security = ContainerSecurity(
                    capabilitiesDrop: ["ALL"], readOnlyRootFilesystem: true, allowPrivilegeEscalation: false)
                $0.mounts = [.tmpfs(at: "/tmp")]
            }
            try await host.runtime.run(restricted)
            _ = try await host.runtime.waitForExit(restricted.id, timeout: .seconds(20))
            try await host.eventually("output") { try host.stdout(restricted.id).count == 8 }
            #expect(try host.stdout(restricted.id) == [
                "1000", "1000", "1000 50", "restricted-pod", "CapEff:\t0000000000000000", "NoNewPrivs:\t1", "ro", "tmp-rw",
            ])

            let root = host.spec(["sh", "-c", "grep CapBnd /proc/self/status; cat /proc/net/dev | wc -l"], name: "default")
            try await host.runtime.run(root)
            _ = try await host.runtime.waitForExit(root.id, timeout: .seconds(20))
            try await host.eventually("output") { try host.stdout(root.id).count == 2 }
            // Docker's default capability set; and a fresh network namespace holding only `lo` (2 header lines + lo).
            #expect(try host.stdout(root.id) == ["CapBnd:\t00000000a80425fb", "3"])
        }
    }

    @Test func cgroupLimitsAndSharedPIDNamespace() async throws {
        try await RuntimeTestHost.with { host in
            let first = host.spec(["sleep", "1000"], name: "first") {
                $0.resources = ContainerResources(cpuRequestMilli: 250, cpuLimitMilli: 500, memoryLimitBytes: 32 << 20)
            }
            let running = try await host.runtime.run(first)
            let pid = try #require(running.pid)
            let cpu = "/sys/fs/cgroup/cpu\(first.cgroupPath)"
            if host.runtime.cgroups.version == .v1, PosixIO.exists(cpu) {
                #expect(PosixIO.readText(cpu + "/cpu.shares")?.hasPrefix("256") == true)
                #expect(PosixIO.readText(cpu + "/cpu.cfs_quota_us")?.hasPrefix("50000") == true)
                #expect(PosixIO.readText("/sys/fs/cgroup/memory\(first.cgroupPath)/memory.limit_in_bytes")?.hasPrefix("33554432") == true)
            }
            // A second container joining the first one's PID namespace sees its process.
            let second = host.spec(["sh", "-c", "ps -o comm | grep -c sleep"], name: "second") {
                $0.namespaces.pid = .join(path: "/proc/\(pid)/ns/pid")
            }
            try await host.runtime.run(second)
            _ = try await host.runtime.waitForExit(second.id, timeout: .seconds(20))
            try await host.eventually("ps output") { try !host.stdout(second.id).isEmpty }
            #expect(try host.stdout(second.id) == ["1"])
        }
    }

    @Test func aFailedStartIsReported() async throws {
        try await RuntimeTestHost.with { host in
            let spec = host.spec(["/no/such/binary"])
            await #expect(throws: RuntimeError.self) { try await host.runtime.run(spec) }
            let status = try host.runtime.status(spec.id)
            #expect(status.state == .exited)
            #expect(status.reason == TerminationReason.startError)
            #expect(status.exitCode == TerminationReason.startErrorExitCode)
            #expect(status.message?.contains("no/such/binary") == true, "message: \(status.message ?? "")")
            await #expect(throws: RuntimeError.self) { try await host.runtime.run(spec) }  // the id is taken
            // Ids are directory names: nothing outside the state directory can be named, let alone removed.
            #expect(throws: RuntimeError.self) { try host.runtime.status("..") }
            try await host.runtime.remove("..")
            #expect(PosixIO.exists(host.configuration.containersDirectory))
        }
    }

    @Test func containersSurviveAKubeletRestart() async throws {
        try await RuntimeTestHost.with { host in
            let spec = host.spec(["sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.05; done"])
            let before = try await host.runtime.run(spec)
            try await host.eventually("first ticks") { try host.stdout(spec.id).count >= 3 }

            // The old kubelet goes away: it stops copying logs but leaves the container alone.
            await host.runtime.shutdown()
            try await Task.sleep(for: .milliseconds(300))
            let restarted = try ContainerRuntime(configuration: host.configuration)
            let found = try await restarted.recover()
            #expect(found.map(\.id) == [spec.id])
            #expect(found.first?.state == .running)
            #expect(found.first?.pid == before.pid)

            // Output written while nobody was reading was kept in the pipe, and copying resumes.
            let count = try host.stdout(spec.id).count
            try await host.eventually("ticks after the restart") { try host.stdout(spec.id).count > count + 3 }
            let ticks = try host.stdout(spec.id)
            #expect(ticks == (0..<ticks.count).map { "tick \($0)" }, "no line lost or repeated")

            let stopped = try await restarted.stop(spec.id, gracePeriod: .milliseconds(100))
            #expect(stopped.state == .exited)
            try await restarted.remove(spec.id)
            await restarted.shutdown()
            #expect(try restarted.list().isEmpty)
            #expect(!PosixIO.exists(stopped.logPath))
        }
    }

    @Test func podSandboxHoldsSharedNamespacesAndReapsOrphans() async throws {
        try await RuntimeTestHost.with { host in
            let sandbox = try await host.runtime.runSandbox(PodSandboxConfig(
                id: "s" + UUID().uuidString.prefix(12).lowercased(), pod: host.pod, hostname: "shared-host",
                network: .container, shareProcessNamespace: true,
                cgroupParent: host.runtime.cgroups.podCgroup(uid: host.pod.uid, qos: .bestEffort)))
            #expect(try host.runtime.sandbox(sandbox.config.id) == sandbox)

            let sleeper = host.spec(["sleep", "1000"], name: "sleeper") { $0.namespaces = sandbox.containerNamespaces }
            try await host.runtime.run(sleeper)
            let orphaner = host.spec(["sh", "-c", "sleep 0.2 & exit 0"], name: "orphaner") {
                $0.namespaces = sandbox.containerNamespaces
            }
            try await host.runtime.run(orphaner)
            let looker = host.spec(
                ["sh", "-c", "sleep 1; hostname; readlink /proc/self/ns/ipc; readlink /proc/self/ns/net; ps -o pid,stat,comm"],
                name: "looker"
            ) { $0.namespaces = sandbox.containerNamespaces }
            try await host.runtime.run(looker)
            _ = try await host.runtime.waitForExit(looker.id, timeout: .seconds(20))
            try await host.eventually("ps output") { try host.stdout(looker.id).contains { $0.contains("ps") } }

            let lines = try host.stdout(looker.id)
            #expect(lines.first == "shared-host")
            let ipc = try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.namespacePath("ipc"))
            let net = try FileManager.default.destinationOfSymbolicLink(atPath: sandbox.namespacePath("net"))
            #expect(Array(lines.dropFirst().prefix(2)) == [ipc, net])
            let processes = lines.dropFirst(4).map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(processes.contains { $0.first == "1" && $0.last == "sh" }, "the sandbox is PID 1: \(lines)")
            #expect(processes.contains { $0.last == "sleep" })
            // The orphaned `sleep 0.2` was collected by the sandbox, not left as a zombie.
            #expect(!processes.contains { $0.count >= 2 && $0[1].hasPrefix("Z") }, "zombies: \(lines)")
        }
    }

    @Test func logsRotateBySizeAndGoWithTheContainer() async throws {
        try await RuntimeTestHost.with { host in
            let spec = host.spec(["seq", "1", "100000"])
            try await host.runtime.run(spec)
            let exited = try #require(try await host.runtime.waitForExit(spec.id, timeout: .seconds(30)))
            let files = { [exited.logPath] + RotatingLogFile.rotatedFiles(of: exited.logPath) }
            try await host.eventually("the last line") {
                try host.stdout(spec.id).last == "100000"
            }
            // 1 MiB per file, 3 files kept: the oldest lines are gone, the rest are in order without a gap.
            #expect(files().count == host.configuration.logMaxFiles)
            let kept = try (RotatingLogFile.rotatedFiles(of: exited.logPath) + [exited.logPath]).flatMap {
                CRILogLine.parseAll(try String(contentsOfFile: $0, encoding: .utf8)).map(\.content)
            }
            let first = try #require(kept.first.flatMap { Int($0) })
            #expect(first > 1)
            let expected = (first...100_000).map(String.init)
            let mismatch = kept.indices.first { $0 >= expected.count || kept[$0] != expected[$0] }
            #expect(kept.count == expected.count && mismatch == nil,
                    "\(kept.count) lines kept for \(expected.count) expected; first difference at \(mismatch.map { "\($0): \(kept[$0])" } ?? "-"); files \(files())")
            for file in files() {
                let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0
                #expect(size <= host.configuration.logMaxSize)
            }

            try await host.runtime.remove(spec.id)
            #expect(files().allSatisfy { !PosixIO.exists($0) })
            #expect(!PosixIO.exists((exited.logPath as NSString).deletingLastPathComponent))
            try host.runtime.removePodLogs(host.pod)
            #expect(!PosixIO.exists(PodLogPaths.podDirectory(root: host.configuration.podLogsDirectory, pod: host.pod)))
        }
    }
}
