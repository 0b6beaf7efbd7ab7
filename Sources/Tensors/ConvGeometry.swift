/// How a convolution pads its input.
public enum Padding: Hashable, Codable, Sendable, CustomStringConvertible {
  /// No padding: only windows that fit wholly inside the image.
  case valid
  /// Keras/TensorFlow "same": output = ⌈input / stride⌉ (conv) or input · stride
  /// (transposed); an odd padding total puts the extra row and column at the bottom/right.
  case same
  /// PyTorch-style: `p` rows and columns of zeros on every side.
  case explicit(Int)

  public var description: String {
    switch self {
    case .valid: "valid"
    case .same: "same"
    case .explicit(let p): "\(p)"
    }
  }
}

/// Why a convolution's sizes don't work, in words a user can act on.
public struct GeometryError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// The sizes of one 2-D convolution over NHWC images, padding resolved.
///
/// Input `[N, H, W, IC]`, kernel `[KH, KW, IC, OC]`, output `[N, OH, OW, OC]`. Output
/// position (oh, ow) reads input rows `oh·S − padTop + kh`, kh in 0..<KH (and likewise for
/// columns); rows outside the image read as zero.
///
/// Output size per padding: valid `OH = ⌊(H − KH) / S⌋ + 1`; same `OH = ⌈H / S⌉` with a
/// padding total of `max((OH − 1)·S + KH − H, 0)`, `padTop = ⌊total / 2⌋`; explicit P
/// `OH = ⌊(H + 2P − KH) / S⌋ + 1`, `padTop = P`.
///
/// A transposed convolution is described by the convolution it is the adjoint of
/// (`transposed(…)`): that conv's input is the transposed conv's output.
public struct ConvGeometry: Hashable, Sendable, CustomStringConvertible {
  public let inputHeight: Int, inputWidth: Int, inputChannels: Int  // H, W, IC
  public let outputHeight: Int, outputWidth: Int, outputChannels: Int  // OH, OW, OC
  public let kernelHeight: Int, kernelWidth: Int  // KH, KW
  public let strideHeight: Int, strideWidth: Int  // S
  public let padTop: Int, padLeft: Int

  /// The convolution of an `H×W×IC` image by a `KH×KW` kernel into `OC` channels.
  public init(
    inputHeight: Int, inputWidth: Int, inputChannels: Int, outputChannels: Int,
    kernel: (height: Int, width: Int), stride: (height: Int, width: Int), padding: Padding
  ) throws(GeometryError) {
    try Self.checkPositive(kernel, stride, inputChannels, outputChannels)
    let (oh, top) = try Self.convOutput(inputHeight, kernel.height, stride.height, padding, "height")
    let (ow, left) = try Self.convOutput(inputWidth, kernel.width, stride.width, padding, "width")
    self.init(
      input: (inputHeight, inputWidth, inputChannels), output: (oh, ow, outputChannels), kernel: kernel,
      stride: stride, pad: (top, left))
  }

  /// The geometry of the convolution whose adjoint maps an `H×W×IC` image to the output
  /// of a transposed convolution with `OC` channels. Transposed output size per padding:
  /// valid `H·S + max(KH − S, 0)` (Keras), same `H·S`, explicit P `(H − 1)·S − 2P + KH`
  /// (PyTorch, no output padding).
  public static func transposed(
    inputHeight: Int, inputWidth: Int, inputChannels: Int, outputChannels: Int,
    kernel: (height: Int, width: Int), stride: (height: Int, width: Int), padding: Padding
  ) throws(GeometryError) -> ConvGeometry {
    try checkPositive(kernel, stride, inputChannels, outputChannels)
    func size(_ h: Int, _ k: Int, _ s: Int) -> Int {
      switch padding {
      case .valid: h * s + max(k - s, 0)
      case .same: h * s
      case .explicit(let p): (h - 1) * s - 2 * p + k
      }
    }
    let th = size(inputHeight, kernel.height, stride.height)
    let tw = size(inputWidth, kernel.width, stride.width)
    guard inputHeight >= 1, inputWidth >= 1, th >= 1, tw >= 1 else {
      throw GeometryError(
        "a transposed convolution of a \(inputHeight)×\(inputWidth) input with kernel "
          + "\(kernel.height)×\(kernel.width), stride \(stride.height) and padding \(padding) "
          + "has no output; use less padding")
    }
    let adjoint = try ConvGeometry(
      inputHeight: th, inputWidth: tw, inputChannels: outputChannels,
      outputChannels: inputChannels, kernel: kernel, stride: stride, padding: padding)
    precondition(
      adjoint.outputHeight == inputHeight && adjoint.outputWidth == inputWidth,
      "transposed geometry \(adjoint) does not map back to \(inputHeight)×\(inputWidth)")
    return adjoint
  }

  /// A geometry given in full, for the derived convolutions the fast paths run (flipped
  /// kernels, sub-pixel phases); padding may be negative there (windows start inside).
  init(
    input: (height: Int, width: Int, channels: Int), output: (height: Int, width: Int, channels: Int),
    kernel: (height: Int, width: Int), stride: (height: Int, width: Int), pad: (top: Int, left: Int)
  ) {
    inputHeight = input.height
    inputWidth = input.width
    inputChannels = input.channels
    outputHeight = output.height
    outputWidth = output.width
    outputChannels = output.channels
    kernelHeight = kernel.height
    kernelWidth = kernel.width
    strideHeight = stride.height
    strideWidth = stride.width
    padTop = pad.top
    padLeft = pad.left
  }

  /// Rows of the im2col matrix: one per output position of one image.
  public var positionsPerImage: Int { outputHeight * outputWidth }
  /// Columns of the im2col matrix: one per kernel tap and input channel, KH·KW·IC.
  public var patchSize: Int { kernelHeight * kernelWidth * inputChannels }
  public var inputPixelsPerImage: Int { inputHeight * inputWidth * inputChannels }
  public var outputPixelsPerImage: Int { outputHeight * outputWidth * outputChannels }

  /// True when the im2col matrix of an image *is* the image: a 1×1 stride-1 kernel without
  /// padding, or a kernel that covers the whole unpadded image with one window.
  public var columnsAreInput: Bool {
    let pointwise =
      kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1
      && padTop == 0 && padLeft == 0
    let whole =
      kernelHeight == inputHeight && kernelWidth == inputWidth && padTop == 0 && padLeft == 0
      && outputHeight == 1 && outputWidth == 1
    return pointwise || whole
  }

  public var description: String {
    "\(inputHeight)×\(inputWidth)×\(inputChannels) → \(outputHeight)×\(outputWidth)×"
      + "\(outputChannels) (k\(kernelHeight)×\(kernelWidth) s\(strideHeight)×\(strideWidth) "
      + "pad \(padTop),\(padLeft))"
  }

  private static func checkPositive(
    _ kernel: (height: Int, width: Int), _ stride: (height: Int, width: Int),
    _ inputChannels: Int, _ outputChannels: Int
  ) throws(GeometryError) {
    guard kernel.height >= 1, kernel.width >= 1 else {
      throw GeometryError("kernel size must be at least 1, got \(kernel.height)×\(kernel.width)")
    }
    guard stride.height >= 1, stride.width >= 1 else {
      throw GeometryError("stride must be at least 1, got \(stride.height)×\(stride.width)")
    }
    guard inputChannels >= 1, outputChannels >= 1 else {
      throw GeometryError("channel counts must be at least 1, got \(inputChannels) → \(outputChannels)")
    }
  }

  /// Output length and leading padding along one axis of a convolution.
  private static func convOutput(
    _ n: Int, _ k: Int, _ s: Int, _ padding: Padding, _ axis: String
  ) throws(GeometryError) -> (Int, Int) {
    let out: Int
    let lead: Int
    switch padding {
    case .valid:
      out = n >= k ? (n - k) / s + 1 : 0
      lead = 0
    case .same:
      out = (n + s - 1) / s
      lead = max((out - 1) * s + k - n, 0) / 2
    case .explicit(let p):
      guard p >= 0, p < k else {
        throw GeometryError("padding \(p) must be between 0 and kernel size − 1 (\(k - 1))")
      }
      out = n + 2 * p >= k ? (n + 2 * p - k) / s + 1 : 0
      lead = p
    }
    guard n >= 1, out >= 1 else {
      throw GeometryError(
        "input \(axis) \(n) is smaller than the kernel (\(k)) with padding \(padding); "
          + "use padding same or a smaller kernel")
    }
    return (out, lead)
  }
}
