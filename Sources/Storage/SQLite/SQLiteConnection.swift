import CSQLite

/// Tells SQLite to copy bound bytes before `bind` returns, so Swift buffers need not outlive the call.
/// (`SQLITE_TRANSIENT` is a C macro Swift cannot import.)
nonisolated(unsafe) private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection and its prepared-statement cache.
///
/// Not thread-safe by itself: each connection is owned by exactly one thread at a time (the writer thread, or a
/// reader that checked it out of the `ReadPool`), which is why it may be `@unchecked Sendable` and opened with
/// `SQLITE_OPEN_NOMUTEX`.
final class SQLiteConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    private var closed = false

    /// Opens (creating if needed) the database at `path`.
    init(path: String) throws(StorageError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw StorageError(.io, message: "open \(path): \(message)")
        }
        handle = db
        // Readers wait for a checkpoint's brief exclusive moments instead of failing with SQLITE_BUSY.
        sqlite3_busy_timeout(db, 30_000)
    }

    deinit {
        close()
    }

    /// Finalizes cached statements and closes the handle; later calls are no-ops.
    func close() {
        guard !closed else { return }
        closed = true
        statements.values.forEach { $0.finalize() }
        statements = [:]
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows we need.
    func execute(_ sql: String) throws(StorageError) {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw StorageError(.io, message: "\(message) (in: \(sql))")
        }
    }

    /// Runs a statement that yields one integer (e.g. `PRAGMA page_count`).
    func scalar(_ sql: String) throws(StorageError) -> Int64? {
        let statement = try prepare(sql)
        defer { statement.reset() }
        return try statement.step() ? statement.int64(0) : nil
    }

    /// Returns the cached prepared statement for `sql`, preparing it on first use. Callers must `reset()` it.
    func prepare(_ sql: String) throws(StorageError) -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else {
            throw StorageError(.io, message: "\(lastMessage) (preparing: \(sql))")
        }
        let statement = SQLiteStatement(raw, connection: self)
        statements[sql] = statement
        return statement
    }

    /// SQLite's text for the last failure on this connection.
    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }
}

/// A prepared statement; binding indexes start at 1, column indexes at 0, as in SQLite.
final class SQLiteStatement {
    private let raw: OpaquePointer
    private unowned let connection: SQLiteConnection

    fileprivate init(_ raw: OpaquePointer, connection: SQLiteConnection) {
        self.raw = raw
        self.connection = connection
    }

    fileprivate func finalize() {
        sqlite3_finalize(raw)
    }

    func bind(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(raw, index, value)
    }

    func bind(_ value: String, at index: Int32) {
        sqlite3_bind_text(raw, index, value, -1, transient)
    }

    /// Binds raw bytes as TEXT, for range bounds that need not be valid UTF-8 (SQLite compares TEXT with memcmp).
    func bindTextBytes(_ value: [UInt8], at index: Int32) {
        value.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                // A non-nil pointer even for empty input: a nil one would bind NULL, not ''.
                let base = chars.baseAddress ?? UnsafePointer<CChar>(bitPattern: 1)
                _ = sqlite3_bind_text(raw, index, base, Int32(chars.count), transient)
            }
        }
    }

    func bind(_ value: [UInt8], at index: Int32) {
        if value.isEmpty {
            sqlite3_bind_zeroblob(raw, index, 0)
            return
        }
        value.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(raw, index, bytes.baseAddress, Int32(bytes.count), transient)
        }
    }

    func bindNull(at index: Int32) {
        sqlite3_bind_null(raw, index)
    }

    /// Advances one row: `true` when a row is available, `false` when done.
    func step() throws(StorageError) -> Bool {
        switch sqlite3_step(raw) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw StorageError(.io, message: connection.lastMessage)
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws(StorageError) {
        defer { reset() }
        _ = try step()
    }

    /// Makes the statement reusable and drops bound values (and their copies).
    func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(raw, column)
    }

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(raw, column) == SQLITE_NULL
    }

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(raw, column) else { return "" }
        let count = Int(sqlite3_column_bytes(raw, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func bytes(_ column: Int32) -> [UInt8] {
        // Ask for the pointer before the length, as SQLite's docs require.
        guard let blob = sqlite3_column_blob(raw, column) else { return [] }
        let count = Int(sqlite3_column_bytes(raw, column))
        return Array(UnsafeRawBufferPointer(start: blob, count: count))
    }
}
