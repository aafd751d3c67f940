import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts child processes with `posix_spawn`, wiring exactly the descriptors asked for.
///
/// Foundation's `Process` is not `Sendable`, watches children from its own thread, and cannot start a child in a
/// new session; the runtime needs all three under control, so it spawns directly.
enum Spawn {
    /// `POSIX_SPAWN_SETSID` from glibc's `<spawn.h>` (hidden behind `_GNU_SOURCE`): the child starts a new session,
    /// so signals aimed at the kubelet's process group (a Ctrl-C on a foreground kubelet) never reach it.
    private static let setSessionFlag: Int32 = 0x80

    /// Starts `argv[0]` (an absolute path) with `argv` as its arguments.
    /// - Parameters:
    ///   - argv: the program path followed by its arguments (`argv[0]` is passed as is).
    ///   - environment: `KEY=VALUE` entries, or `nil` for the kubelet's own environment.
    ///   - stdin: the descriptor to become the child's fd 0, or `nil` for `/dev/null`.
    ///   - stdout: the descriptor to become fd 1, or `nil` for `/dev/null`.
    ///   - stderr: the descriptor to become fd 2, or `nil` for `/dev/null`.
    ///   - newSession: whether the child starts its own session.
    /// - Returns: the child's process id.
    static func start(
        _ argv: [String], environment: [String]? = nil,
        stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil, newSession: Bool = false
    ) throws -> pid_t {
        guard let program = argv.first, program.hasPrefix("/") else {
            throw RuntimeError(.invalidSpec, "spawn needs an absolute program path, got \(argv.first ?? "nothing")")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (source, target) in [(stdin, Int32(0)), (stdout, 1), (stderr, 2)] {
            if let source {
                posix_spawn_file_actions_adddup2(&actions, source, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        PosixIO.addCloseFrom(&actions, lowest: 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Children start with default signal handling and nothing blocked, whatever the kubelet (or NIO) set up:
        // an ignored SIGPIPE inherited by a container would change how it behaves.
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if newSession { flags |= setSessionFlag }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let env = environment ?? ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = env.map { strdup($0) } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, program, &actions, &attributes, &cArgv, &cEnv)
        guard rc == 0 else { throw RuntimeError.system("spawn \(program)", errno: rc) }
        return pid
    }

    /// Blocks until `pid` exits and returns its exit code; a signal death is reported shell-style as 128 + signal.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 255 }
        }
        return exitCode(fromWaitStatus: status)
    }

    /// Decodes a `waitpid` status (the `WIFEXITED`/`WEXITSTATUS`/`WTERMSIG` macros are not importable).
    static func exitCode(fromWaitStatus status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
