extension Tensor {
  /// A tensor with every element `value`.
  public init(shape: Shape, repeating value: Float) {
    self.init(zeros: shape)
    pointer.update(repeating: value, count: count)
  }

  /// Samples from N(mean, std²).
  public static func randomNormal(
    _ shape: Shape, mean: Float = 0, std: Float = 1, using random: RandomSource
  ) -> Tensor {
    let t = Tensor(zeros: shape)
    random.fillNormal(t.buffer, mean: mean, std: std)
    return t
  }

  /// Samples from U[low, high).
  public static func randomUniform(
    _ shape: Shape, low: Float, high: Float, using random: RandomSource
  ) -> Tensor {
    let t = Tensor(zeros: shape)
    random.fillUniform(t.buffer, low: low, high: high)
    return t
  }
}
