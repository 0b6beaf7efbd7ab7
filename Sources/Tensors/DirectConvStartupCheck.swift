/// The direct convolution's three passes on two tiny geometries, compared exactly with
/// `ConvReference`, for one instruction set: run once per process (`DirectConv.choice`)
/// on the best set the CPU runs, then on each lower one only if that fails. About 40,000
/// multiply-adds per set, most of them the reference's.
///
/// The operands are multiples of 1/8 in [-1, 1] (as in `GEMMStartupCheck`): every product
/// and partial sum is exact in `Float`, in any order, with or without FMA. The geometries
/// reach the kernels' register blocks (6 interior positions in a row), both image edges,
/// a channel count off the vector widths (19 = 16 + 3 = 2·8 + 3 = 4·4 + 3) and stride 2;
/// the backward passes start from nonzero gradients, so they must accumulate.
public enum DirectConvStartupCheck {
  /// The first element where a pass and the reference differ.
  public struct Mismatch: Equatable, Sendable, CustomStringConvertible {
    public var isa: DirectConvISA
    public var pass: String
    public var geometry: String
    public var index: Int
    public var got: Float, expected: Float

    public var description: String {
      "\(isa.rawValue) \(pass) on \(geometry): element \(index) = \(got), expected \(expected)"
    }
  }

  /// The three passes under test, as `Conv.swift` calls them (last argument: the batch).
  public struct Passes: Sendable {
    public var forward: @Sendable (_ input: Tensor, _ weight: Tensor, ConvGeometry, _ output: Tensor, Int) -> Void
    public var backwardInput:
      @Sendable (_ gradOutput: Tensor, _ weight: Tensor, ConvGeometry, _ gradInput: Tensor, Int) -> Void
    public var backwardWeight:
      @Sendable (_ input: Tensor, _ gradOutput: Tensor, ConvGeometry, _ gradWeight: Tensor, Int) -> Void

    /// The C kernels of `isa`.
    public static func kernels(_ isa: DirectConvISA) -> Passes {
      Passes(
        forward: { directForward($0, $1, $2, $3, $4, isa: isa) },
        backwardInput: { directBackwardInput($0, $1, $2, $3, $4, isa: isa) },
        backwardWeight: { directBackwardWeight($0, $1, $2, $3, $4, isa: isa) })
    }
  }

  /// (batch, geometry): 3 channels, k3 s1 p1 on a 3×9 image (7 interior columns), 19
  /// outputs; 1 channel, k4 s2 p1 (the faces' first conv) on 6×7, 5 outputs.
  public static let cases: [(Int, ConvGeometry)] = [
    (
      2,
      try! ConvGeometry(
        inputHeight: 3, inputWidth: 9, inputChannels: 3, outputChannels: 19, kernel: (3, 3), stride: (1, 1),
        padding: .explicit(1))
    ),
    (
      1,
      try! ConvGeometry(
        inputHeight: 6, inputWidth: 7, inputChannels: 1, outputChannels: 5, kernel: (4, 4), stride: (2, 2),
        padding: .explicit(1))
    ),
  ]

  /// Runs every case through `isa`'s kernels; nil when all agree with the reference.
  public static func run(_ isa: DirectConvISA) -> Mismatch? {
    run(isa, Passes.kernels(isa))
  }

  /// Runs every case through `passes`, reporting mismatches under `isa`'s name: the first
  /// element further than `tolerance` × max(1, |expected|) from the reference (0: exact).
  public static func run(
    _ isa: DirectConvISA, _ passes: Passes, cases: [(Int, ConvGeometry)] = cases, tolerance: Float = 0
  ) -> Mismatch? {
    func first(_ got: Tensor, _ expected: Tensor, _ pass: String, _ g: ConvGeometry) -> Mismatch? {
      let far = { (i: Int) in abs(got[i] - expected[i]) > tolerance * max(1, abs(expected[i])) || got[i].isNaN }
      guard let i = (0..<got.count).first(where: far) else { return nil }
      return Mismatch(isa: isa, pass: pass, geometry: g.description, index: i, got: got[i], expected: expected[i])
    }
    for (n, g) in cases {
      let x = eighths(Shape(n, g.inputHeight, g.inputWidth, g.inputChannels), seed: 1)
      let w = eighths(Shape(g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels), seed: 2)
      let dy = eighths(Shape(n, g.outputHeight, g.outputWidth, g.outputChannels), seed: 3)

      let y = eighths(dy.shape, seed: 4)
      passes.forward(x, w, g, y, n)
      let expectedY = ConvReference.forward(input: x, kernel: w, geometry: g)
      if let m = first(y, expectedY, "forward", g) { return m }

      let dx = eighths(x.shape, seed: 5)
      let expectedDX = ConvReference.backwardInput(gradOutput: dy, kernel: w, geometry: g)
      expectedDX.add(dx)
      passes.backwardInput(dy, w, g, dx, n)
      if let m = first(dx, expectedDX, "backward input", g) { return m }

      let dw = eighths(w.shape, seed: 6)
      let expectedDW = ConvReference.backwardKernel(input: x, gradOutput: dy, geometry: g)
      expectedDW.add(dw)
      passes.backwardWeight(x, dy, g, dw, n)
      if let m = first(dw, expectedDW, "backward weight", g) { return m }
    }
    return nil
  }

  private static func eighths(_ shape: Shape, seed: Int) -> Tensor {
    Tensor(shape: shape, values: GEMMStartupCheck.eighths(shape.count, seed: seed))
  }
}
