import Layers
import Session
import Tensors

/// The words for compute paths: a pass's path as a short name and its note number
/// (`winograd [2]`), and the notes that give each number's reason once.
extension Presenter {
  /// "winograd [2]"
  func pathCell(_ path: ComputePath, _ legend: PathLegend) -> String {
    legend.number(of: path).map { "\(path.name) [\($0)]" } ?? path.name
  }

  /// The three passes' note numbers in one narrow cell ("2 – 3"): `bench`'s table, whose
  /// timings leave no room for the names (the notes below it give them).
  func pathNumbers(_ paths: LayerPaths, ran: [Bool], _ legend: PathLegend) -> String {
    zip(paths.passes, ran).map { $1 ? legend.number(of: $0).map(String.init) ?? "?" : "–" }.joined(separator: " ")
  }

  /// A layer's definition with a convolution's options as PyTorch abbreviates them in its
  /// docs (`k=4 s=2 p=1`), so that a table of paths or timings fits 100 columns.
  func shortDefinition(_ definition: String) -> String {
    definition.replacingOccurrences(of: " kernel=", with: " k=").replacingOccurrences(of: " stride=", with: " s=")
      .replacingOccurrences(of: " padding=", with: " p=")
  }

  /// One line per distinct path: "[2] columns: general: im2col + sgemm".
  func pathNotes(_ legend: PathLegend) -> [String] {
    legend.paths.enumerated().map { "[\($0 + 1)] \($1.name): \($1.reason)" }
  }

  /// Table rows as lines: columns padded to `widths` (right-aligned where `right` says),
  /// two spaces apart, nothing after the last word.
  func tableLines(_ rows: [[String]], right: (Int) -> Bool) -> [String] {
    let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max()! }
    return rows.map { row in
      let line = "  " + row.indices.map { pad(row[$0], widths[$0], right: right($0)) }.joined(separator: "  ")
      return String(line.reversed().drop { $0 == " " }.reversed())
    }
  }

  /// What IC, OC, k, s and p mean in the notes and the table.
  static let pathLetters = [
    "IC, OC: the conv's input and output channels (a deconv's are those of the conv it is the adjoint of)",
    "k, s, p: the kernel's size, the stride and the padding",
  ]

  func networkPaths(_ n: NetworkPaths) -> String {
    guard !n.rows.isEmpty else { return "\(n.role): no layer multiplies (no dense, conv or deconv)" }
    let legend = n.legend
    var rows = [["#", "layer", "forward", "backward input", "backward weights"]]
    for r in n.rows {
      rows.append(["\(r.index)", shortDefinition(r.definition)] + r.paths.passes.map { pathCell($0, legend) })
    }
    var lines = ["\(n.role): how each layer computes its passes"] + tableLines(rows) { $0 == 0 }
    lines += pathNotes(legend).map { "  " + $0 }
    lines += Self.pathLetters.map { "  " + $0 }
    return lines.joined(separator: "\n")
  }
}
