import KubeAPI

/// `kubectl get events`: LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME.
///
/// Upstream stores core/v1 and events.k8s.io/v1 events as one internal type and prints both with these columns;
/// only the field names differ (`involvedObject` / `regarding`, `message` / `note`, `lastTimestamp` /
/// `deprecatedLastTimestamp`, ...), so each API version gets a field map and the rules are written once.
enum EventColumns {
    /// Where an API version keeps each field the printer reads.
    struct Fields: Sendable {
        let firstTimestamp: String
        let lastTimestamp: String
        let count: String
        let involvedObject: String
        let message: String
        let source: String
        let reportingController: String
    }

    /// core/v1 `Event`.
    static let core = Fields(firstTimestamp: "firstTimestamp", lastTimestamp: "lastTimestamp", count: "count",
                             involvedObject: "involvedObject", message: "message", source: "source",
                             reportingController: "reportingComponent")
    /// events.k8s.io/v1 `Event`.
    static let eventsAPI = Fields(firstTimestamp: "deprecatedFirstTimestamp", lastTimestamp: "deprecatedLastTimestamp",
                                  count: "deprecatedCount", involvedObject: "regarding", message: "note",
                                  source: "deprecatedSource", reportingController: "reportingController")

    static let columns: [TableColumn] = [
        TableColumn("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
        TableColumn("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
        TableColumn("Reason", "This should be a short, machine understandable string that gives the reason for the "
            + "transition into the object's current status."),
        TableColumn("Object", "The object that this event is about."),
        TableColumn("Subobject", priority: 1, "If referring to a piece of an object instead of an entire object, "
            + "this string should contain a valid JSON/Go field access statement, such as "
            + "desiredState.manifest.containers[2]."),
        TableColumn("Source", priority: 1, "The component reporting this event. Should be a short machine "
            + "understandable string."),
        TableColumn("Message", "A human-readable description of the status of this operation."),
        TableColumn("First Seen", priority: 1, "The time at which the event was first recorded. (Time of server "
            + "receipt is in TypeMeta.)"),
        TableColumn("Count", priority: 1, "The number of times this event has occurred."),
        .wideName,
    ]

    /// The column set for events stored with `fields`.
    static func set(_ fields: Fields) -> TableColumnSet {
        TableColumnSet(columns: columns) { event, now in row(event, fields, now) }
    }

    static func row(_ event: JSONValue, _ fields: Fields, _ now: KubeTime) -> TableRowCells {
        // FIRST SEEN falls back to eventTime (set by the new API); LAST SEEN to FIRST SEEN, or to the series.
        let firstSeen = TableCells.time(event[fields.firstTimestamp]) != nil
            ? TableCells.since(event[fields.firstTimestamp], now)
            : TableCells.since(event["eventTime"], now)
        var lastSeen = TableCells.time(event[fields.lastTimestamp]) != nil
            ? TableCells.since(event[fields.lastTimestamp], now)
            : firstSeen
        var count = TableCells.integer(event[fields.count])
        if let series = event["series"], !series.isNull {
            lastSeen = TableCells.since(series["lastObservedTime"], now)
            count = TableCells.integer(series["count"])
        } else if count == 0 {
            count = 1  // singleton events of the new API carry no count
        }
        let involved = event[fields.involvedObject]
        let kind = TableCells.string(involved?["kind"]).lowercased()
        let involvedName = TableCells.string(involved?["name"])
        let source = event[fields.source]
        let component = firstNonEmpty(TableCells.string(source?["component"]),
                                      TableCells.string(event[fields.reportingController]))
        let host = firstNonEmpty(TableCells.string(source?["host"]), TableCells.string(event["reportingInstance"]))
        return TableRowCells(cells: [
            .string(lastSeen),
            .string(TableCells.string(event["type"])),
            .string(TableCells.string(event["reason"])),
            .string(involvedName.isEmpty ? kind : kind + "/" + involvedName),
            .string(TableCells.string(involved?["fieldPath"])),
            .string(host.isEmpty ? component : component + ", " + host),
            .string(trimmed(TableCells.string(event[fields.message]))),
            .string(firstSeen),
            .integer(count),
            .string(event.metadata.name ?? ""),
        ])
    }

    private static func firstNonEmpty(_ first: String, _ second: String) -> String { first.isEmpty ? second : first }

    /// Go's `strings.TrimSpace`: leading and trailing Unicode white space.
    private static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let start = text.firstIndex(where: { !isSpace($0) }), let end = text.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(text[start...end])
    }
}
