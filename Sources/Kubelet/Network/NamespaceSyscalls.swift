import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The namespace system calls a persistent network namespace needs, and the thread discipline they require.
///
/// `unshare` and `setns` sit behind `_GNU_SOURCE`, so Swift's Glibc module hides them; they are looked up with
/// `dlsym` instead of adding a C shim target (both exist in every glibc since 2.14).
enum NamespaceSyscalls {
    private typealias Unshare = @convention(c) (Int32) -> Int32
    private typealias Setns = @convention(c) (Int32, Int32) -> Int32

    private static let unshareFunction: Unshare? = dlsym(nil, "unshare").map { unsafeBitCast($0, to: Unshare.self) }
    private static let setnsFunction: Setns? = dlsym(nil, "setns").map { unsafeBitCast($0, to: Setns.self) }

    /// `CLONE_NEWNET` from `<linux/sched.h>` (hidden behind `_GNU_SOURCE`).
    static let cloneNewNet: Int32 = 0x4000_0000

    /// Moves the calling thread into a new, empty network namespace; returns 0 or -1 with `errno` set.
    static func unshareNetwork() -> Int32 {
        guard let unshareFunction else {
            errno = ENOSYS
            return -1
        }
        return unshareFunction(cloneNewNet)
    }

    /// Moves the calling thread into the network namespace open at `descriptor`; returns 0 or -1 with `errno` set.
    static func enterNetwork(_ descriptor: Int32) -> Int32 {
        guard let setnsFunction else {
            errno = ENOSYS
            return -1
        }
        return setnsFunction(descriptor, cloneNewNet)
    }

    /// Runs `body` on a fresh OS thread that exits afterwards.
    ///
    /// A network namespace belongs to a thread, not to the process. Switching one on a Swift concurrency or
    /// Dispatch worker would leave that shared worker in the pod's namespace if switching back failed, and every
    /// later job on it (sockets, spawned plugins) would silently run there. A private thread that dies afterwards
    /// cannot leak its namespace to anybody.
    static func onThrowawayThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "kubelet-netns"
            thread.start()
        }
    }

    /// The text of `errno`, for error messages.
    static func lastError() -> String { String(cString: strerror(errno)) }
}
