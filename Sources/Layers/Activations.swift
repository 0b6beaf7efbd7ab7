import Tensors

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// Pointwise activations. Each keeps its output for backward (the derivative of every one
/// here is a function of its output), so forward and backward read the same buffer. The
/// loops run on all threads (`parallelRanges`); each element is independent.
///
/// x [N, …] → y [N, …]

/// y = x for x > 0, slope·x otherwise (0 ≤ slope ≤ 1); `relu` is slope 0.
public final class LeakyReLU: Layer {
  public let spec: LayerSpec
  public let inputShape: Shape
  public var outputShape: Shape { inputShape }
  public let slope: Float
  private var output: Tensor?
  private var gradInput: Tensor?

  init(spec: LayerSpec, shape: Shape, slope: Float) {
    precondition((0...1).contains(slope), "leakyrelu slope \(slope) outside [0, 1]")
    self.spec = spec
    inputShape = shape
    self.slope = slope
  }

  /// y = max(x, slope·x), which is the definition when 0 ≤ slope ≤ 1, without a branch.
  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let y = Tensor.reusing(output, shape: input.shape)
    let slope = slope
    parallelRanges(y.count) { range in
      let (x, o) = (input.pointer, y.pointer)
      for i in range { o[i] = max(x[i], slope * x[i]) }
    }
    output = y
    return y
  }

  /// gradInput = gradOutput · (1 if y > 0 else slope)
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    guard let y = output else { preconditionFailure("\(spec): backward before forward") }
    let dx = Tensor.reusing(gradInput, shape: gradOutput.shape)
    let slope = slope
    parallelRanges(dx.count) { range in
      let (g, o, d) = (gradOutput.pointer, y.pointer, dx.pointer)
      for i in range { d[i] = o[i] > 0 ? g[i] : slope * g[i] }
    }
    gradInput = dx
    return dx
  }
}

/// y = 1 / (1 + e^−x)
public final class Sigmoid: Layer {
  public var spec: LayerSpec { .sigmoid }
  public let inputShape: Shape
  public var outputShape: Shape { inputShape }
  private var output: Tensor?
  private var gradInput: Tensor?

  init(shape: Shape) { inputShape = shape }

  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let y = Tensor.reusing(output, shape: input.shape)
    parallelRanges(y.count, grain: 1 << 13) { range in
      let (x, o) = (input.pointer, y.pointer)
      for i in range { o[i] = sigmoid(x[i]) }
    }
    output = y
    return y
  }

  /// gradInput = gradOutput · y · (1 − y)
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    guard let y = output else { preconditionFailure("sigmoid: backward before forward") }
    let dx = Tensor.reusing(gradInput, shape: gradOutput.shape)
    parallelRanges(dx.count) { range in
      let (g, o, d) = (gradOutput.pointer, y.pointer, dx.pointer)
      for i in range { d[i] = g[i] * o[i] * (1 - o[i]) }
    }
    gradInput = dx
    return dx
  }
}

/// y = tanh x
public final class Tanh: Layer {
  public var spec: LayerSpec { .tanh }
  public let inputShape: Shape
  public var outputShape: Shape { inputShape }
  private var output: Tensor?
  private var gradInput: Tensor?

  init(shape: Shape) { inputShape = shape }

  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let y = Tensor.reusing(output, shape: input.shape)
    parallelRanges(y.count, grain: 1 << 13) { range in
      let (x, o) = (input.pointer, y.pointer)
      for i in range { o[i] = fastTanh(x[i]) }
    }
    output = y
    return y
  }

  /// gradInput = gradOutput · (1 − y²)
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    guard let y = output else { preconditionFailure("tanh: backward before forward") }
    let dx = Tensor.reusing(gradInput, shape: gradOutput.shape)
    parallelRanges(dx.count) { range in
      let (g, o, d) = (gradOutput.pointer, y.pointer, dx.pointer)
      for i in range { d[i] = g[i] * (1 - o[i] * o[i]) }
    }
    gradInput = dx
    return dx
  }
}

/// 1 / (1 + e^−x) without overflow for large |x|.
@inline(__always)
public func sigmoid(_ x: Float) -> Float {
  if x >= 0 { return 1 / (1 + expf(-x)) }
  let e = expf(x)
  return e / (1 + e)
}
