/// What `data` loads and how: saved with a session so `load` can load it again.
public struct DataSpec: Hashable, Codable, Sendable {
  public enum Source: Hashable, Codable, Sendable, CustomStringConvertible {
    /// A folder of JPEG and PNG files, searched recursively.
    case folder(String)
    /// Built-in procedurally drawn faces, no download needed.
    case faces(count: Int)
    /// 2-D points from a ring of 8 Gaussians (`PointDataset`).
    case ring(count: Int)
    /// 2-D points from a 5×5 grid of Gaussians.
    case grid(count: Int)

    public var description: String {
      switch self {
      case .folder(let path): Lexer.quoted(path)
      case .faces(let count): "faces count=\(count)"
      case .ring(let count): "ring count=\(count)"
      case .grid(let count): "grid count=\(count)"
      }
    }

    /// Points rather than images.
    public var isPoints: Bool {
      switch self {
      case .ring, .grid: true
      case .folder, .faces: false
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
  /// Flip images left to right at random (half of them, a new choice every epoch).
  public var flip = false
  /// Keep the decoded folder in the cache, and use the cache when it is current.
  public var cache = true

  public init(source: Source) { self.source = source }

  /// The notebook line that loads this data.
  public var description: String {
    if source.isPoints { return "data \(source)" }
    var s = "data \(source) size=\(size) channels=\(channels) range=\(range.rawValue) resize=\(resize.rawValue)"
    if let limit { s += " limit=\(limit)" }
    if flip { s += " flip" }
    if !cache { s += " cache=false" }
    return s
  }

  enum CodingKeys: String, CodingKey { case source, size, channels, range, resize, limit, flip, cache }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    source = try c.decode(Source.self, forKey: .source)
    size = try c.decode(Int.self, forKey: .size)
    channels = try c.decode(Int.self, forKey: .channels)
    range = try c.decode(PixelRange.self, forKey: .range)
    resize = try c.decode(Resize.self, forKey: .resize)
    limit = try c.decodeIfPresent(Int.self, forKey: .limit)
    flip = try c.decodeIfPresent(Bool.self, forKey: .flip) ?? false
    cache = try c.decodeIfPresent(Bool.self, forKey: .cache) ?? true
  }
}
