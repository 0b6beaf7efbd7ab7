import Foundation

/// Round tick values for a plot's axes: steps of 1, 2 or 5 times a power of ten.
enum AxisTicks {
  /// The round step that cuts `span` into about `count` parts (1 for an empty span).
  static func step(covering span: Double, count: Int) -> Double {
    guard span > 0, span.isFinite else { return 1 }
    let rough = span / Double(count)
    let power = pow(10, (log10(rough)).rounded(.down))
    let fraction = rough / power
    return (fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10) * power
  }

  /// The multiples of `step` in low...high.
  static func values(from low: Double, to high: Double, step: Double) -> [Double] {
    let first = (low / step).rounded(.up)
    let last = (high / step + 1e-9).rounded(.down)
    guard first <= last else { return [] }
    return stride(from: first, through: last, by: 1).map { $0 * step }
  }

  /// `value` with as many decimals as `step` needs ("0.25", "1.5", "200").
  static func label(_ value: Double, step: Double) -> String {
    let decimals = max(0, Int((-log10(step) - 1e-9).rounded(.up)))
    return String(format: "%.\(decimals)f", value)
  }
}
