import Foundation

/// What `kubeadm-swift images import|list|rm` print, so the CLI stays a flag parser.
public enum ImagesCommands {
    /// Imports each archive in order; one `Loaded image: REF` line per reference, like `docker load`.
    public static func importArchives(_ files: [String], into store: ImageStore) throws -> [String] {
        var lines: [String] = []
        for file in files {
            lines += try store.importArchive(file).map { "Loaded image: \($0)" }
        }
        return lines
    }

    /// The `crictl images` table: IMAGE, TAG, IMAGE ID (13 hex digits), SIZE (decimal units).
    public static func listTable(_ store: ImageStore) throws -> String {
        let rows = try store.list().map { summary in
            [summary.reference.repository, summary.reference.tag ?? "<none>", String(summary.id.hex.prefix(13)), humanSize(summary.size)]
        }
        return table(header: ["IMAGE", "TAG", "IMAGE ID", "SIZE"], rows: rows)
    }

    /// Removes each reference; one `Deleted: REF` line per removed tag, like `crictl rmi`.
    public static func remove(_ references: [String], from store: ImageStore) throws -> [String] {
        var lines: [String] = []
        for reference in references {
            lines += try store.remove(reference).map { "Deleted: \($0)" }
        }
        return lines
    }

    /// Go's `tabwriter.NewWriter(w, 20, 1, 3, ' ', 0)` as crictl uses it: each column at least 20 wide,
    /// 3 spaces of padding, the last column unpadded.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in max(20, (all.map { $0[column].count }.max() ?? 0) + 3) }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n")
    }

    /// docker/go-units `HumanSize`: decimal units, 4 significant digits (`2.15MB`, `999B`, `1.2GB`).
    public static func humanSize(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return String(format: "%.4g", value) + units[unit]
    }
}
