import Synchronization

/// A `Mutex` in a class, so it can be shared by reference (captured by tasks, held by several owners), which a
/// non-copyable `Mutex` stored inline cannot be.
final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try mutex.withLock { try body(&$0) }
    }

    var value: Value { withLock { $0 } }
}
