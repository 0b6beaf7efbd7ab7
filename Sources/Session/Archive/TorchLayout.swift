import Layers
import Tensors

/// A network's weights as the equivalent PyTorch `nn.Sequential` (`self.main`) holds them.
///
/// Every ganrepl layer is one module at the same index, so parameter-free layers count as
/// PyTorch counts them: dense → Linear, conv → Conv2d, deconv → ConvTranspose2d, batchnorm
/// → BatchNorm2d (BatchNorm1d on flat features), relu, leakyrelu, sigmoid, tanh, dropout →
/// the module of that name, flatten → Flatten, reshape H×W×C → Unflatten(1, (C, H, W)).
/// Names and layouts (ganrepl's NHWC on the left):
///
///     conv kernel   [KH, KW, IC, OC] → main.K.weight (OC, IC, KH, KW)
///     deconv kernel [KH, KW, OC, IC] → main.K.weight (IC, OC, KH, KW)
///     dense kernel  [IN, OUT]        → main.K.weight (OUT, IN), features in NCHW order
///     bias [OUT]                     → main.K.bias
///     with sn: kernel → main.K.parametrizations.weight.original, u, v → ….weight.0._u, _v
///                                  (TorchLayout+SpectralNorm.swift)
///     batchnorm γ, β, running mean, running var → main.K.weight, .bias, .running_mean, .running_var
///                                  + main.K.num_batches_tracked (I64, shape ()): the network's optimizer steps
///
/// Flat features keep PyTorch's order: a `flatten` of H×W×C gives C·H·W order, so a dense
/// after it has its input columns permuted; a dense whose output a `reshape H×W×C` follows
/// has its rows (and bias) permuted so that Unflatten reads them as (C, H, W).
enum TorchLayout {
  /// One tensor of the export: `order[t]` is the ganrepl index of PyTorch's value t.
  struct Tensor {
    var name: String
    var shape: [Int]
    /// Where the values live in the network; nil for `num_batches_tracked`.
    var target: Tensors.Tensor?
    var order: [Int]
    /// The layer it belongs to, for messages.
    var layer: Int
  }

  /// Every tensor of `network` in PyTorch's `state_dict` order, walking the entries the
  /// archive names (`ArchiveEntry.tensors`).
  /// `shown`, a network of the same layers (the generator's moving average), gives the
  /// values instead of `network`'s own.
  static func tensors(of role: NetworkRole, _ network: Sequential, _ optimizer: Optimizer, shown: Sequential? = nil)
    throws(LayoutError) -> [Tensor]
  {
    let features = try featureOrders(network)
    let rank = ["kernel": 0, "gamma": 0, "bias": 1, "beta": 1, "running_mean": 2, "running_var": 3]
    var entries: [(layer: Int, name: String, value: Tensors.Tensor)] = []
    // The shown network's tensors under the archive's names (it has the same layers).
    var shownValues: [ArchiveEntry.LayerTensor: Tensors.Tensor] = [:]
    for named in shown.map(ArchiveEntry.averageTensors) ?? [] {
      if case .average(let t) = named.entry { shownValues[t] = named.tensor }
    }
    func value(_ t: ArchiveEntry.LayerTensor, _ own: Tensors.Tensor) -> Tensors.Tensor { shownValues[t] ?? own }
    for (entry, own) in ArchiveEntry.tensors(of: role, network, optimizer) {
      switch entry {
      case .weight(_, let t), .buffer(_, let t): entries.append((t.layer, t.name, value(t, own)))
      case .moment, .fixedNoise, .average: continue
      }
    }
    entries.sort { ($0.layer, rank[$0.name] ?? 9) < ($1.layer, rank[$1.name] ?? 9) }
    var result: [Tensor] = []
    for (i, name, value) in entries {
      let layer = network.layers[i]
      let input = i == 0 ? network.inputShape : network.layers[i - 1].outputShape
      let inputOrder = i == 0 ? nil : features[i - 1]
      let torchName =
        "main.\(i)."
        + (spectralNormName(layer.spec, name) ?? ["kernel": "weight", "gamma": "weight", "beta": "bias"][name] ?? name)
      switch (layer.spec.unnormalized, name) {
      case (.conv, "kernel"), (.deconv, "kernel"):
        let d = value.shape.dims
        result.append(
          Tensor(name: torchName, shape: [d[3], d[2], d[0], d[1]], target: value, order: kernelOrder(d), layer: i))
      case (.dense, "kernel"):
        let (inputs, outputs) = (value.shape[0], value.shape[1])
        let rows = features[i] ?? Array(0..<outputs)
        let columns = inputOrder ?? Array(0..<inputs)
        let order = rows.flatMap { o in columns.map { $0 * outputs + o } }
        result.append(Tensor(name: torchName, shape: [outputs, inputs], target: value, order: order, layer: i))
      case (let spec, "sn_u"), (let spec, "sn_v"):
        let order = spectralNormOrder(
          name, spec, kernel: layer.parameters[0].value.shape.dims, rows: features[i], columns: inputOrder)
        result.append(Tensor(name: torchName, shape: [value.count], target: value, order: order, layer: i))
      default:
        // A vector over the layer's channels or features: dense's bias follows its rows,
        // batchnorm's follow the features it normalises (flat ones in their order).
        let order = (layer.spec.isDense ? features[i] : input.rank == 1 ? inputOrder : nil) ?? Array(0..<value.count)
        result.append(Tensor(name: torchName, shape: [value.count], target: value, order: order, layer: i))
      }
      if name == "running_var" {
        result.append(Tensor(name: "main.\(i).num_batches_tracked", shape: [], target: nil, order: [], layer: i))
      }
    }
    return result
  }

  /// (B, A, KH, KW) from [KH, KW, A, B]: t = ((b·A + a)·KH + y)·KW + x reads ((y·KW + x)·A + a)·B + b.
  static func kernelOrder(_ d: [Int]) -> [Int] {
    let (kh, kw, a, b) = (d[0], d[1], d[2], d[3])
    var order: [Int] = []
    order.reserveCapacity(kh * kw * a * b)
    for j in 0..<b {
      for i in 0..<a { for y in 0..<kh { for x in 0..<kw { order.append(((y * kw + x) * a + i) * b + j) } } }
    }
    return order
  }

  /// C·H·W order of an H×W×C image: t = (c·H + h)·W + w reads (h·W + w)·C + c.
  static func channelsFirst(_ shape: Shape) -> [Int] {
    let (h, w, c) = (shape[0], shape[1], shape[2])
    var order: [Int] = []
    order.reserveCapacity(h * w * c)
    for k in 0..<c { for y in 0..<h { for x in 0..<w { order.append((y * w + x) * c + k) } } }
    return order
  }

  /// For each layer with a flat output, the ganrepl index of each of PyTorch's features
  /// (nil: the same order, or an image). A dense picks its order for the reshape after it.
  static func featureOrders(_ network: Sequential) throws(LayoutError) -> [[Int]?] {
    let layers = network.layers
    var orders: [[Int]?] = []
    var current: [Int]? = nil
    for (i, layer) in layers.enumerated() {
      let input = i == 0 ? network.inputShape : layers[i - 1].outputShape
      let output = layer.outputShape
      switch layer.spec {
      case .dense, .spectralNorm(.dense):
        let next = layers[(i + 1)...].first { !$0.spec.keepsFeatureOrder }
        current = next.flatMap { $0.outputShape.rank == 3 ? channelsFirst($0.outputShape) : nil }
      case .conv, .deconv, .spectralNorm: current = nil
      case .flatten, .reshape:
        switch (input.rank, output.rank) {
        case (3, 1): current = channelsFirst(input)
        case (1, 3):
          guard (current ?? Array(0..<output.count)) == channelsFirst(output) else {
            throw LayoutError(layer: i, reason: "only a dense's output can be reshaped to an image in PyTorch's order")
          }
          current = nil
        case (1, 1): break
        default:
          guard input == output else {
            throw LayoutError(layer: i, reason: "an image reshaped to another image has no PyTorch module")
          }
        }
      case .relu, .leakyReLU, .sigmoid, .tanh, .dropout, .batchNorm: break
      case .pack:
        throw LayoutError(layer: i, reason: "'pack' regroups the batch and has no PyTorch module; export the generator")
      case .minibatchStdDev:
        throw LayoutError(
          layer: i, reason: "'mbstd' (minibatch standard deviation) has no PyTorch module; export the generator")
      }
      orders.append(output.rank == 1 ? current : nil)
    }
    return orders
  }

  /// A layer whose place in a network has no PyTorch equivalent.
  struct LayoutError: Error {
    var layer: Int
    var reason: String
  }
}

extension LayerSpec {
  /// Layers that pass flat features through in their order (PyTorch's too).
  fileprivate var keepsFeatureOrder: Bool {
    switch self {
    case .relu, .leakyReLU, .sigmoid, .tanh, .dropout, .batchNorm: true
    case .dense, .conv, .deconv, .flatten, .reshape, .spectralNorm, .pack, .minibatchStdDev: false
    }
  }

  fileprivate var isDense: Bool {
    if case .dense = unnormalized { return true }
    return false
  }
}
