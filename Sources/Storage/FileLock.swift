#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a side file, held for the life of a store.
///
/// The writer keeps the next revision in memory and watchers are fed in-process, so two stores writing one file
/// (two processes, or the same process twice) would break revisions and watches. The kernel drops the lock when the
/// process dies, so a crashed writer never leaves a stale lock behind.
final class FileLock: Sendable {
    private let descriptor: Locked<Int32?>

    init(path: String) throws(StorageError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StorageError(.io, message: "open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? "another store has this database open" : String(cString: strerror(errno))
            close(descriptor)
            throw StorageError(.io, message: "lock \(path): \(reason)")
        }
        self.descriptor = Locked(descriptor)
    }

    deinit {
        release()
    }

    /// Drops the lock (closing the descriptor releases it); later calls are no-ops.
    func release() {
        guard let descriptor = descriptor.withLock({ value in defer { value = nil }; return value }) else { return }
        close(descriptor)
    }
}
