import KubeAPI

/// Jobs and cron jobs.
enum BatchColumns {
    private static let name: TableCellFunction = { object, _ in .string(object.metadata.name ?? "") }
    private static let age: TableCellFunction = { object, now in TableCells.age(object, now) }

    /// NAME STATUS COMPLETIONS DURATION AGE, wide CONTAINERS IMAGES SELECTOR.
    static let jobs = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Status", "Status of the job.")) { object, _ in .string(jobStatus(object)) },
        .column(TableColumn("Completions", "The number of pods which reached phase Succeeded.")) { object, _ in
            .string(completions(object))
        },
        .column(TableColumn("Duration", "Time required to complete the job.")) { object, now in .string(duration(object, now)) },
        .column(.age, age),
        .column(.containers) { object, _ in .string(TableCells.containers(object[path: ["spec", "template", "spec"]]).names) },
        .column(.images) { object, _ in .string(TableCells.containers(object[path: ["spec", "template", "spec"]]).images) },
        .column(TableColumn("Selector", priority: 1, "A label query over pods that should match the pod count.")) { object, _ in
            .string(TableCells.labelSelector(object[path: ["spec", "selector"]]))
        },
    ])

    /// NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE, wide CONTAINERS IMAGES SELECTOR.
    static let cronJobs = TableColumnSet([
        .column(.name, name),
        .column(TableColumn("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.")) { object, _ in
            .string(TableCells.string(object[path: ["spec", "schedule"]]))
        },
        .column(TableColumn("Timezone", "The time zone name for the given schedule, see "
            + "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.")) { object, _ in
            .string(object[path: ["spec", "timeZone"]]?.string ?? "<none>")
        },
        .column(TableColumn("Suspend", type: "boolean", "This flag tells the controller to suspend subsequent "
            + "executions, it does not apply to already started executions. Defaults to false.")) { object, _ in
            .string(TableCells.boolPointer(object[path: ["spec", "suspend"]]))
        },
        .column(TableColumn("Active", type: "integer", "A list of pointers to currently running jobs.")) { object, _ in
            .integer(Int64(TableCells.array(object[path: ["status", "active"]]).count))
        },
        .column(TableColumn("Last Schedule", "Information when was the last time the job was successfully scheduled.")) { object, now in
            guard let last = object[path: ["status", "lastScheduleTime"]], !last.isNull else { return "<none>" }
            return .string(TableCells.since(last, now))
        },
        .column(.age, age),
        .column(.containers) { object, _ in .string(TableCells.containers(jobTemplatePod(object)).names) },
        .column(.images) { object, _ in .string(TableCells.containers(jobTemplatePod(object)).images) },
        .column(TableColumn("Selector", priority: 1, "A label query over pods that should match the pod count.")) { object, _ in
            .string(TableCells.labelSelector(object[path: ["spec", "jobTemplate", "spec", "selector"]]))
        },
    ])

    private static func jobTemplatePod(_ cronJob: JSONValue) -> JSONValue? {
        cronJob[path: ["spec", "jobTemplate", "spec", "template", "spec"]]
    }

    /// Complete, Failed, Terminating, Suspended, FailureTarget or Running, in that order of precedence.
    static func jobStatus(_ job: JSONValue) -> String {
        let conditions = TableCells.array(job[path: ["status", "conditions"]])
        // Upstream looks at the first condition of a type only.
        func holds(_ type: String) -> Bool {
            conditions.first { $0["type"]?.string == type }?["status"]?.string == "True"
        }
        if holds("Complete") { return "Complete" }
        if holds("Failed") { return "Failed" }
        if job.metadata.isBeingDeleted { return "Terminating" }
        if holds("Suspended") { return "Suspended" }
        if holds("FailureTarget") { return "FailureTarget" }
        return "Running"
    }

    /// "succeeded/completions"; without completions "succeeded/1", or "succeeded/1 of parallelism" when more than one
    /// pod runs in parallel.
    static func completions(_ job: JSONValue) -> String {
        let succeeded = TableCells.integer(job[path: ["status", "succeeded"]])
        if let completions = job[path: ["spec", "completions"]]?.int64 { return "\(succeeded)/\(completions)" }
        let parallelism = job[path: ["spec", "parallelism"]]?.int64 ?? 0
        return parallelism > 1 ? "\(succeeded)/1 of \(parallelism)" : "\(succeeded)/1"
    }

    /// From start to completion, or to now while running; "" before the job started.
    static func duration(_ job: JSONValue, _ now: KubeTime) -> String {
        guard let start = TableCells.time(job[path: ["status", "startTime"]]) else { return "" }
        let end = TableCells.time(job[path: ["status", "completionTime"]]) ?? now
        return HumanDuration.between(start, end)
    }
}
