import Foundation

/// Runs blocking system calls (connect, poll, recv) on a thread of their own, never on Swift concurrency's small
/// cooperative pool: a probe that waits out its timeout must not stall the kubelet's other tasks.
enum BlockingIO {
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
