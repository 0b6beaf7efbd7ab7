/// What `data` loads and how: saved with a session so `load` can load it again.
public struct DataSpec: Hashable, Codable, Sendable {
  public enum Source: Hashable, Codable, Sendable, CustomStringConvertible {
    /// A folder of JPEG and PNG files, searched recursively.
    case folder(String)
    /// Built-in procedurally drawn faces, no download needed.
    case faces(count: Int)

    public var description: String {
      switch self {
      case .folder(let path): "\"\(path)\""
      case .faces(let count): "faces count=\(count)"
      }
    }
  }

  /// How an image becomes size×size.
  public enum Resize: String, Hashable, Codable, Sendable, CaseIterable {
    /// Scale each side to `size`, ignoring the aspect ratio (Keras
    /// `image_dataset_from_directory`, the tutorial).
    case squash
    /// Scale the shorter side to `size`, then cut the centre square (torchvision
    /// `Resize` + `CenterCrop`, the PyTorch DCGAN).
    case crop
  }

  /// The interval pixel values are scaled to.
  public enum PixelRange: String, Hashable, Codable, Sendable, CaseIterable {
    /// [0, 1]: the tutorial, with a sigmoid generator output.
    case unit = "0..1"
    /// [−1, 1]: the PyTorch DCGAN, with a tanh generator output.
    case symmetric = "-1..1"

    /// Float value of byte `b`.
    public func value(_ b: UInt8) -> Float {
      switch self {
      case .unit: Float(b) / 255
      case .symmetric: Float(b) / 127.5 - 1
      }
    }

    /// Byte of float `x`, clamped.
    public func byte(_ x: Float) -> UInt8 {
      let unit: Float = self == .unit ? x : (x + 1) / 2
      return UInt8(max(0, min(255, (unit * 255).rounded())))
    }
  }

  public var source: Source
  public var size: Int = 64
  public var channels: Int = 3
  public var range: PixelRange = .unit
  public var resize: Resize = .squash
  /// Use only the first `limit` files (in sorted order).
  public var limit: Int?

  public init(source: Source) { self.source = source }

  /// The notebook line that loads this data.
  public var description: String {
    var s = "data \(source) size=\(size) channels=\(channels) range=\(range.rawValue) resize=\(resize.rawValue)"
    if let limit { s += " limit=\(limit)" }
    return s
  }
}
