import Tensors

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// Pointwise activations. Each keeps its output for backward (the derivative of every one
/// here is a function of its output), so forward and backward read the same buffer; a
/// `leakyrelu` fused into the batchnorm before it keeps nothing (`fusedIntoBatchNorm`). The
/// loops run on all threads (`parallelRanges`); each element is independent.
///
/// x [N, …] → y [N, …]

/// An activation whose backward reads only its own output, so its forward may write the
/// output over its input. `Sequential` sets `overwritesInput` where the input is the
/// previous layer's output and nothing else reads it: the tutorial generator's last
/// `leakyrelu` then needs no 256 MiB of its own at batch 32.
protocol InPlaceActivation: AnyObject {
  var overwritesInput: Bool { get set }
}

/// y = x for x > 0, slope·x otherwise (0 ≤ slope ≤ 1); `relu` is slope 0.
public final class LeakyReLU: Layer, InPlaceActivation {
  public let spec: LayerSpec
  public let inputShape: Shape
  public var outputShape: Shape { inputShape }
  public let slope: Float
  var overwritesInput = false
  /// Set by `Sequential` when the batchnorm before applies this activation itself
  /// (`BatchNorm.activationSlope`): values and gradients then pass through unchanged.
  var fusedIntoBatchNorm = false
  private var output: Tensor?
  private let relay: GradientRelay

  init(spec: LayerSpec, shape: Shape, slope: Float, relay: GradientRelay) {
    self.relay = relay
    precondition((0...1).contains(slope), "leakyrelu slope \(slope) outside [0, 1]")
    self.spec = spec
    inputShape = shape
    self.slope = slope
  }

  /// y = max(x, slope·x), which is the definition when 0 ≤ slope ≤ 1, without a branch.
  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    if fusedIntoBatchNorm { return input }
    let y = overwritesInput ? input : Tensor.reusing(output, shape: input.shape)
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
    if fusedIntoBatchNorm { return gradOutput }
    guard let y = output else { preconditionFailure("\(spec): backward before forward") }
    let dx = relay.inPlace(gradOutput)
    let slope = slope
    parallelRanges(dx.count) { range in
      let (g, o, d) = (gradOutput.pointer, y.pointer, dx.pointer)
      for i in range { d[i] = o[i] > 0 ? g[i] : slope * g[i] }
    }
    return dx
  }
}

/// An activation applied to each element alone whose derivative is a function of its
/// output, so backward reads the output forward kept: all `Pointwise` needs to know.
public protocol PointwiseFunction: Sendable {
  /// How the layer is written in a notebook.
  static var spec: LayerSpec { get }
  /// y = f(x)
  static func value(_ x: Float) -> Float
  /// gradOutput · f′(x), written in terms of y = f(x).
  static func gradInput(_ gradOutput: Float, output y: Float) -> Float
}

/// A layer applying a `PointwiseFunction` F to every element: y = f(x), gradInput =
/// gradOutput · f′(x). The class is not generic: a generic class's methods run
/// unspecialised behind `any Layer` (callgrind, DCGAN step: Tanh's forward took 2.2× the
/// instructions, its backward 10×, a witness call per element), so the loops are closures
/// built, specialised for F, when the layer is.
public final class Pointwise: Layer, InPlaceActivation {
  public let spec: LayerSpec
  public let inputShape: Shape
  public var outputShape: Shape { inputShape }
  /// y = f(x) over a whole tensor.
  private let values: (_ input: Tensor, _ y: Tensor) -> Void
  /// gradInput = gradOutput · f′ from the saved y, over a whole tensor.
  private let gradients: (_ gradOutput: Tensor, _ y: Tensor, _ gradInput: Tensor) -> Void
  var overwritesInput = false
  private var output: Tensor?
  private let relay: GradientRelay

  init<F: PointwiseFunction>(_: F.Type, shape: Shape, relay: GradientRelay) {
    self.relay = relay
    spec = F.spec
    inputShape = shape
    // A smaller grain than the default: f costs an exponential per element.
    values = { input, y in
      parallelRanges(y.count, grain: 1 << 13) { range in
        let (x, o) = (input.pointer, y.pointer)
        for i in range { o[i] = F.value(x[i]) }
      }
    }
    gradients = { gradOutput, y, dx in
      parallelRanges(dx.count) { range in
        let (g, o, d) = (gradOutput.pointer, y.pointer, dx.pointer)
        for i in range { d[i] = F.gradInput(g[i], output: o[i]) }
      }
    }
  }

  /// y = f(x)
  public func forward(_ input: Tensor, mode: Mode) -> Tensor {
    checkInput(input)
    let y = overwritesInput ? input : Tensor.reusing(output, shape: input.shape)
    values(input, y)
    output = y
    return y
  }

  /// gradInput = gradOutput · f′(x), from the saved y
  public func backwardInput(_ gradOutput: Tensor) -> Tensor {
    guard let y = output else { preconditionFailure("\(spec): backward before forward") }
    let dx = relay.inPlace(gradOutput)
    gradients(gradOutput, y, dx)
    return dx
  }
}

/// y = 1 / (1 + e^−x); gradInput = gradOutput · y · (1 − y)
public enum Sigmoid: PointwiseFunction {
  public static var spec: LayerSpec { .sigmoid }
  @inline(__always) public static func value(_ x: Float) -> Float { sigmoid(x) }
  @inline(__always) public static func gradInput(_ gradOutput: Float, output y: Float) -> Float {
    gradOutput * y * (1 - y)
  }
}

/// y = tanh x; gradInput = gradOutput · (1 − y²)
public enum Tanh: PointwiseFunction {
  public static var spec: LayerSpec { .tanh }
  @inline(__always) public static func value(_ x: Float) -> Float { fastTanh(x) }
  @inline(__always) public static func gradInput(_ gradOutput: Float, output y: Float) -> Float {
    gradOutput * (1 - y * y)
  }
}

/// 1 / (1 + e^−x) without overflow for large |x|.
@inline(__always)
public func sigmoid(_ x: Float) -> Float {
  if x >= 0 { return 1 / (1 + expf(-x)) }
  let e = expf(x)
  return e / (1 + e)
}
