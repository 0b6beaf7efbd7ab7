/// How much memory a dataset of this spec takes, checked before its store is allocated.
extension DataSpec {
  /// Bytes for `count` samples: size·size·channels bytes an image, two Floats a point; nil
  /// if the product overflows.
  func bytes(count: Int) -> Int? {
    source.isPoints
      ? MemoryBudget.bytes(count, 2, MemoryLayout<Float>.size) : MemoryBudget.bytes(count, size, size, channels)
  }

  /// Throws `.notEnoughMemory` unless `count` samples fit in `available` bytes, with a hint
  /// that names how many would fit and the option to set.
  func checkMemory(count: Int, available: Int = MemoryBudget.available) throws(SessionError) {
    let perSample = max(bytes(count: 1) ?? Int.max, 1)
    let fit = available / perSample
    let what: String, hint: String
    switch source {
    case .ring, .grid:
      what = "\(count) points"
      hint = "try count=\(fit) or fewer"
    case .faces:
      what = "\(count) faces at \(size)×\(size)×\(channels)"
      hint = "at size \(size) about \(fit) images fit: try count=\(fit) or fewer, or a smaller size"
    case .folder:
      what = "\(count) images at \(size)×\(size)×\(channels)"
      hint = "at size \(size) about \(fit) images fit: try limit=\(fit) or fewer, or a smaller size"
    }
    try MemoryBudget.check(bytes: bytes(count: count), for: what, hint: hint, available: available)
  }
}
