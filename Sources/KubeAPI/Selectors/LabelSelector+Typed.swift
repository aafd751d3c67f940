extension LabelSelector {
    /// Converts the generated typed `metav1.LabelSelector` (as controllers hold it) to the matcher, with the same
    /// rules as `init(apiSelector:)`: nil is `nothing`, empty is `everything`.
    /// - Parameters:
    ///   - typed: the selector from a typed model, e.g. `deployment.spec?.selector`.
    public init(_ typed: MetaV1.LabelSelector?) throws(SelectorParseError) {
        guard let typed else {
            self = .nothing
            return
        }
        var requirements: [LabelRequirement] = []
        for (key, value) in typed.matchLabels ?? [:] {
            requirements.append(try LabelRequirement(key: key, .equals, [value]))
        }
        for expression in typed.matchExpressions ?? [] {
            let name = expression.operator ?? ""
            guard let op = Self.apiOperators[name] else {
                throw SelectorParseError("\"\(name)\" is not a valid label selector operator")
            }
            requirements.append(try LabelRequirement(key: expression.key ?? "", op, expression.values ?? []))
        }
        self.init(requirements)
    }
}
