import Tensors

/// A convolution case for the fast-vs-reference grids: odd, non-square sizes, every
/// padding mode, strides 1–3, and DCGAN's k4 s2 p1 and k4 s1 p0.
public struct ConvCase: CustomStringConvertible, Sendable {
  public let batch: Int
  public let geometry: ConvGeometry
  public var description: String { "batch \(batch), \(geometry)" }
}

/// Every valid combination of the listed sizes; invalid ones (kernel larger than the
/// padded input) are skipped.
public func convCases(
  kernels: [Int] = [1, 2, 3, 4, 5], strides: [Int] = [1, 2, 3],
  paddings: [Padding] = [.valid, .same, .explicit(1), .explicit(2)],
  sizes: [(Int, Int)] = [(7, 5), (8, 8), (4, 6)], channels: [(Int, Int)] = [(3, 4), (2, 1)],
  batches: [Int] = [1, 2]
) -> [ConvCase] {
  var cases: [ConvCase] = []
  for k in kernels {
    for s in strides {
      for p in paddings {
        for (h, w) in sizes {
          for (ic, oc) in channels {
            for n in batches {
              if let g = try? ConvGeometry(
                inputHeight: h, inputWidth: w, inputChannels: ic, outputChannels: oc,
                kernel: (k, k), stride: (s, s), padding: p)
              {
                cases.append(ConvCase(batch: n, geometry: g))
              }
            }
          }
        }
      }
    }
  }
  return cases
}
