import Foundation

/// A value swapped under a lock: readers copy it out, the one writer replaces it whole. Used for policy snapshots,
/// which are immutable, so the lock is held only for a reference copy. (`Synchronization.Mutex` would do, but the
/// package still builds for macOS 13.)
final class SnapshotBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func get() -> Value {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func set(_ newValue: Value) {
        lock.lock()
        value = newValue
        lock.unlock()
    }
}
