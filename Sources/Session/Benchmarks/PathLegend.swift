import Layers
import Tensors

/// The distinct compute paths of some layers, numbered in the order they first appear:
/// `bench` and `show generator` mark each pass with its path's number and give each
/// path's reason once, below the table.
public struct PathLegend: Sendable, Equatable {
  /// Each distinct path once; path i is note i + 1.
  public private(set) var paths: [ComputePath] = []

  public init(_ layers: [LayerPaths]) { self.init(paths: layers.flatMap(\.passes)) }

  /// `paths` numbered in order, each once.
  public init(paths list: [ComputePath]) {
    for path in list where !paths.contains(path) { paths.append(path) }
  }

  /// The note number of `path` (from 1), nil for a path of no listed layer.
  public func number(of path: ComputePath) -> Int? { paths.firstIndex(of: path).map { $0 + 1 } }
}

/// `show generator` and `show discriminator`: how each layer that multiplies computes its
/// three passes, and why.
public struct NetworkPaths: Sendable {
  public struct Row: Sendable {
    public var index: Int
    public var definition: String
    public var paths: LayerPaths
  }

  public var role: NetworkRole
  public var rows: [Row]
  public var legend: PathLegend { PathLegend(rows.map(\.paths)) }
}

extension BenchmarkReport {
  /// The paths of the passes of `rows` that ran (a network's first layer computes no
  /// backward input), numbered.
  public static func pathLegend(of rows: [LayerRow]) -> PathLegend {
    PathLegend(paths: rows.flatMap { row in zip(row.paths?.passes ?? [], row.phases).filter { $1.calls > 0 }.map(\.0) })
  }
}
