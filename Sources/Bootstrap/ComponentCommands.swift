/// The bundled component subcommands that are not built yet.
public enum ComponentCommands {
    public static func notBuilt(_ component: String, arrivesWith issue: String) -> NotBuiltError {
        NotBuiltError(what: "The bundled \(component)", arrivesWith: issue)
    }
}
