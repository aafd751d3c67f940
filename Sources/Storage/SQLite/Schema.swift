/// The on-disk layout: kine's append-only log (`pkg/drivers/sqlite/sqlite.go`), trimmed to what this store uses.
///
/// Every write appends one row whose `id` is the new revision, so the table is the MVCC history: the live value of a
/// key is its highest-id row unless that row is a tombstone (`deleted = 1`). `old_value` copies the previous value
/// so a watch can replay `previous` without a second lookup, even after the previous row was compacted away.
enum Schema {
    /// Must run before the first table exists: `auto_vacuum` can only be chosen on an empty file (or by VACUUM).
    static let autoVacuum = "PRAGMA auto_vacuum = INCREMENTAL"

    static let tables = """
        CREATE TABLE IF NOT EXISTS log (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            created INTEGER NOT NULL,
            deleted INTEGER NOT NULL,
            create_revision INTEGER NOT NULL,
            prev_revision INTEGER NOT NULL,
            value BLOB,
            old_value BLOB
        );
        CREATE INDEX IF NOT EXISTS log_key_id ON log (key, id);
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        """

    /// The writer's connection settings. `synchronous = FULL` fsyncs the WAL on every commit, so an acknowledged
    /// write survives a crash or power loss; the WAL lets readers keep their snapshot while the writer appends.
    /// `journal_size_limit` truncates the WAL after checkpoints so churn does not leave a huge `-wal` file behind.
    static let writerPragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA journal_size_limit = 16777216;
        PRAGMA foreign_keys = OFF;
        """

    /// Readers never write; `query_only` turns a bug that tries into an error instead of a lock fight.
    static let readerPragmas = "PRAGMA query_only = 1"

    static let currentRevision = "SELECT COALESCE(MAX(id), 0) FROM log"
    static let compactRevision = "SELECT value FROM meta WHERE name = 'compact_revision'"
    static let setCompactRevision = """
        INSERT INTO meta (name, value) VALUES ('compact_revision', ?1)
        ON CONFLICT (name) DO UPDATE SET value = excluded.value
        """

    /// The newest row of one key (live or tombstone).
    static let latest = """
        SELECT id, create_revision, deleted, value FROM log WHERE key = ?1 ORDER BY id DESC LIMIT 1
        """

    /// The newest row of one key at or below a revision.
    static let latestAt = """
        SELECT id, create_revision, deleted, value FROM log WHERE key = ?1 AND id <= ?2 ORDER BY id DESC LIMIT 1
        """

    static let insert = """
        INSERT INTO log (id, key, created, deleted, create_revision, prev_revision, value, old_value)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        """

    /// Live keys in a key range as of revision ?1, in key order. Columns: id, key, create_revision, value.
    /// Binds: ?1 revision, ?2 lower bound, ?3 upper bound (if any), ?4 limit (-1 for none).
    static func list(afterKey: Bool, upperBound: Bool) -> String {
        """
        SELECT l.id, l.key, l.create_revision, l.value FROM log AS l
        WHERE l.key \(afterKey ? ">" : ">=") ?2 \(upperBound ? "AND l.key < ?3" : "")
          AND l.id <= ?1 AND l.deleted = 0
          AND l.id = (SELECT MAX(m.id) FROM log AS m WHERE m.key = l.key AND m.id <= ?1)
        ORDER BY l.key LIMIT ?4
        """
    }

    /// Log rows in (?1, ?2] in revision order, optionally limited to a key range (?3, ?4), at most ?5 rows.
    static func history(lowerBound: Bool, upperBound: Bool) -> String {
        """
        SELECT id, key, created, deleted, create_revision, prev_revision, value, old_value FROM log
        WHERE id > ?1 AND id <= ?2 \(lowerBound ? "AND key >= ?3" : "") \(upperBound ? "AND key < ?4" : "")
        ORDER BY id LIMIT ?5
        """
    }

    /// Compaction to ?2 after an earlier one at ?1: a row is superseded once a successor at or below ?2 names it
    /// as `prev_revision`; tombstones at or below ?2 are dropped too, since no read at ?2 or later can see them.
    /// Rows at or below ?1 were handled by the earlier compaction, so each pass scans only (?1, ?2].
    static let compactSuperseded = """
        DELETE FROM log WHERE id IN (SELECT prev_revision FROM log WHERE id > ?1 AND id <= ?2 AND prev_revision > 0)
        """
    static let compactTombstones = "DELETE FROM log WHERE id > ?1 AND id <= ?2 AND deleted = 1"
}
