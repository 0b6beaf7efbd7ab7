/// A run of values as one line of block characters (▁▂▃▄▅▆▇█), lowest to highest, for the
/// end of `train` in a terminal.
public enum Sparkline {
  static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  /// `values` in at most `width` characters: one per value, or when there are more values
  /// than characters the mean of each run of `perCharacter` consecutive values (the last
  /// run may be shorter). Equal values draw the middle block. `low` and `high` are what ▁
  /// and █ stand for.
  public static func draw(_ values: [Float], width: Int) -> (line: String, perCharacter: Int, low: Float, high: Float) {
    guard !values.isEmpty, width > 0 else { return ("", 1, 0, 0) }
    let per = (values.count + width - 1) / width
    let means = stride(from: 0, to: values.count, by: per).map { start in
      let run = values[start..<min(start + per, values.count)]
      return run.reduce(0, +) / Float(run.count)
    }
    let (low, high) = (means.min()!, means.max()!)
    let line = means.map { v -> Character in
      guard high > low else { return blocks[3] }
      return blocks[min(blocks.count - 1, Int((v - low) / (high - low) * Float(blocks.count)))]
    }
    return (String(line), per, low, high)
  }
}
