import KubeAPI

extension ObjectMetaView {
    /// Replaces `labels` with a plain dictionary, keys in sorted order so the written object is deterministic.
    /// - Parameters:
    ///   - labels: the new labels.
    mutating func replaceLabels(_ labels: [String: String]) {
        var ordered = self.labels
        ordered.removeAll()
        for key in labels.keys.sorted() { ordered[key] = labels[key] }
        self.labels = ordered
    }
}
