import Layers
import Tensors

/// A layer with `sn` as PyTorch's `torch.nn.utils.parametrizations.spectral_norm` keeps it:
///
///     W, the raw kernel  → main.K.parametrizations.weight.original  (the plain layer's weight layout)
///     u [OUT]            → main.K.parametrizations.weight.0._u      (OUT,)
///     v [REST]           → main.K.parametrizations.weight.0._v      (REST,)
///
/// PyTorch's matrix is the weight with `dim` moved to the front (0 for Linear and Conv2d, 1,
/// the output channels, for ConvTranspose2d), flattened: row o, column (ic·KH + y)·KW + x of
/// a conv or deconv, column `in` of a Linear. ganrepl's `KernelMatrix` has the same rows but
/// columns (y·KW + x)·IC + ic, so v is written in C·H·W order of [KH, KW, IC]; a dense's u
/// and v follow the permutations of its rows and columns. σ = uᵀ M v is then the same number
/// in both, and eval() divides by it as ganrepl's inference does.
///
/// `import` also reads the names of the older `torch.nn.utils.spectral_norm` (`weight_orig`,
/// `weight_u`, `weight_v`), whose tensors are the same.
extension TorchLayout {
  /// PyTorch's name, after `main.K.`, of a spectrally normalised layer's `kernel`, `sn_u` or
  /// `sn_v`; nil for its bias and for every tensor of a layer without `sn`.
  static func spectralNormName(_ spec: LayerSpec, _ name: String) -> String? {
    guard case .spectralNorm = spec else { return nil }
    return [
      "kernel": "parametrizations.weight.original", "sn_u": "parametrizations.weight.0._u",
      "sn_v": "parametrizations.weight.0._v",
    ][name]
  }

  /// `order[t]`, the ganrepl index of PyTorch's element t of u (`sn_u`) or v (`sn_v`) for
  /// the layer `spec` (without its `sn`) whose kernel has dims `d`; `rows` and `columns` are
  /// a dense's feature orders (nil: in order).
  static func spectralNormOrder(
    _ name: String, _ spec: LayerSpec, kernel d: [Int], rows: [Int]?, columns: [Int]?
  ) -> [Int] {
    switch (spec, name) {
    case (.dense, "sn_u"): rows ?? Array(0..<d[1])
    case (.dense, _): columns ?? Array(0..<d[0])
    case (.conv, "sn_v"): channelsFirst(Shape(d[0], d[1], d[2]))
    case (.deconv, "sn_v"): channelsFirst(Shape(d[0], d[1], d[3]))
    default: Array(0..<d[spec.spectralNormAxis ?? 0])  // a conv's or deconv's output channels
    }
  }

  /// `entries` with the older `torch.nn.utils.spectral_norm` names (`main.K.weight_orig`,
  /// `weight_u`, `weight_v`) renamed to the parametrization's; every other name as it is.
  static func parametrizationNames<Value>(_ entries: [String: Value]) -> [String: Value] {
    let legacy = [
      "weight_orig": "parametrizations.weight.original", "weight_u": "parametrizations.weight.0._u",
      "weight_v": "parametrizations.weight.0._v",
    ]
    var renamed: [String: Value] = [:]
    for (name, value) in entries {
      let parts = name.split(separator: ".", omittingEmptySubsequences: false)
      if parts.count == 3, parts[0] == "main", Int(parts[1]) != nil, let modern = legacy[String(parts[2])],
        entries["main.\(parts[1]).\(modern)"] == nil
      {
        renamed["main.\(parts[1]).\(modern)"] = value
      } else {
        renamed[name] = value
      }
    }
    return renamed
  }

  /// Why a tensor `name` of the layout is missing from a file holding `names`, when the
  /// file's layer has or lacks `sn` where the network's does not: a reason's tail, or nil.
  static func spectralNormMismatch(missing name: String, among names: some Collection<String>) -> String? {
    let parts = name.split(separator: ".", maxSplits: 2)
    guard parts.count == 3 else { return nil }
    let layer = "main.\(parts[1])"
    let plain = "\(layer).weight"
    let normalised = "\(layer).parametrizations.weight.original"
    if name == normalised, names.contains(plain) {
      return ": the file's layer \(parts[1]) has a plain '\(plain)', without spectral normalisation "
        + "(define the layer without 'sn', or export it from a network with 'sn')"
    }
    if name == plain, names.contains(normalised) {
      return ": the file's layer \(parts[1]) is spectrally normalised ('\(normalised)'); define it with 'sn'"
    }
    return nil
  }
}
