import KubeAPI

/// The cells of one Table row, plus the row conditions upstream attaches (only pods use them: a finished pod's row
/// carries `Completed=True`).
struct TableRowCells: Sendable {
    /// One value per column, in column order: strings, integers or booleans as upstream's printers emit them.
    var cells: [JSONValue]
    /// `TableRowCondition` objects; empty for almost every kind.
    var conditions: [JSONValue] = []
}

/// Computes one row from an object and the instant ages are measured against.
typealias TableRowFunction = @Sendable (_ object: JSONValue, _ now: KubeTime) -> TableRowCells

/// Computes one cell.
typealias TableCellFunction = @Sendable (_ object: JSONValue, _ now: KubeTime) -> JSONValue

/// The columns a resource prints and how to fill them: the equivalent of one upstream `TableHandler` registration.
///
/// The server always fills every column, wide ones included (upstream converts with `Wide: true`); kubectl drops the
/// priority-1 columns itself unless `-o wide` is given.
struct TableColumnSet: Sendable {
    /// The column definitions, in order.
    let columns: [TableColumn]
    /// Fills one row; the cell count equals `columns.count`.
    let row: TableRowFunction

    /// A set whose row is computed as a whole, for kinds whose cells share work (a pod's status, ready count and
    /// restarts come from one pass over its container statuses).
    /// - Parameters:
    ///   - columns: the column definitions.
    ///   - row: fills one row.
    init(columns: [TableColumn], row: @escaping TableRowFunction) {
        self.columns = columns
        self.row = row
    }

    /// A set described column by column, each with its own cell function: the usual shape, which keeps a column's
    /// header next to the rule that fills it.
    /// - Parameters:
    ///   - cells: the columns with their cell functions, in column order.
    init(_ cells: [TableColumnCell]) {
        columns = cells.map(\.column)
        let functions = cells.map(\.cell)
        row = { object, now in TableRowCells(cells: functions.map { $0(object, now) }) }
    }
}

/// A column together with the function that fills its cells; written `.column(definition) { object, now in ... }`.
struct TableColumnCell: Sendable {
    let column: TableColumn
    let cell: TableCellFunction

    /// Pairs a column definition with its cell function.
    /// - Parameters:
    ///   - column: the column definition.
    ///   - cell: computes the cell from the object and the current time.
    static func column(_ column: TableColumn, _ cell: @escaping TableCellFunction) -> TableColumnCell {
        TableColumnCell(column: column, cell: cell)
    }
}
