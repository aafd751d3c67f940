#if canImport(Glibc)
import Glibc
#endif

/// A terminal size in character cells.
public struct TerminalSize: Sendable, Hashable {
    /// Columns.
    public var columns: UInt16
    /// Rows.
    public var rows: UInt16

    /// Creates a terminal size.
    public init(columns: UInt16, rows: UInt16) {
        self.columns = columns
        self.rows = rows
    }
}

/// A pseudo-terminal pair, opened through /dev/ptmx by hand (`posix_openpt` and friends are hidden from Swift
/// behind `_XOPEN_SOURCE`; the ioctls are what glibc does underneath).
enum PseudoTerminal {
    /// `TIOCSPTLCK` and `TIOCGPTN` from `<asm-generic/ioctls.h>` (function-like macros, not importable).
    private static let unlockRequest: UInt = 0x4004_5431
    private static let numberRequest: UInt = 0x8004_5430

    /// Opens a new pair: the master for the kubelet, the slave for runc's stdio.
    static func open(size: TerminalSize?) throws -> (master: Int32, slave: Int32) {
        let master = try PosixIO.open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, unlockRequest, &unlock) == 0, ioctl(master, numberRequest, &number) == 0 else {
            let error = RuntimeError.system("unlock pseudo-terminal")
            PosixIO.closeQuietly(master)
            throw error
        }
        let slave: Int32
        do { slave = try PosixIO.open("/dev/pts/\(number)", O_RDWR | O_NOCTTY) } catch {
            PosixIO.closeQuietly(master)
            throw error
        }
        if let size { resize(master, size) }
        return (master, slave)
    }

    /// Sets the terminal's window size.
    static func resize(_ fd: Int32, _ size: TerminalSize) {
        var window = winsize(ws_row: size.rows, ws_col: size.columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(fd, UInt(TIOCSWINSZ), &window)
    }
}
