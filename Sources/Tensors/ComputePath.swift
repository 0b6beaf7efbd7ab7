/// Which method computes one pass of a layer, and why: what `bench` and `show generator`
/// print per layer and pass.
///
/// `name` is short (`columns`, `winograd`, `shifted`, `sgemm`; for a convolution the
/// `ConvMethod` case's own name, so a method added later names itself); `reason` is the
/// rule that chose it, in a phrase: "4×4 stride 2, IC ≥ 16: Winograd F(2×2, 2×2) on
/// sub-pixel phases, …". IC and OC are the convolution's input and output channels (for a
/// transposed convolution, those of the convolution it is the adjoint of).
public struct ComputePath: Hashable, Sendable, CustomStringConvertible {
  public let name: String
  public let reason: String

  public init(name: String, reason: String) {
    self.name = name
    self.reason = reason
  }

  /// A dense layer: every pass is one sgemm over the batch.
  public static let denseGEMM = ComputePath(name: "sgemm", reason: "dense: one sgemm over the whole batch")

  public var description: String { "\(name): \(reason)" }
}

extension ConvGeometry {
  /// The method `convForward`, `convBackwardInput` or `convBackwardWeight` runs for `pass`
  /// on this geometry, and the rule that chose it (`ConvMethod.choice(for:geometry:)`).
  public func path(of pass: ConvPass) -> ComputePath {
    let rule = ConvMethod.choice(for: pass, geometry: self)
    return ComputePath(name: "\(rule.method)", reason: rule.reason)
  }
}
