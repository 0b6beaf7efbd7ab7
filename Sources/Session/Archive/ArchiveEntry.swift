import Layers
import Tensors

/// One tensor of a saved session and its name in `tensors.bin`: the one naming scheme that
/// `save` writes, `load` reads and validation counts. An export walks the same entries and
/// gives (network, layer index, tensor) names of its own.
///
///     generator.0.kernel               a layer's weight           .weight
///     generator.2.running_mean         a layer's buffer           .buffer
///     discriminator.0.sn_u             spectral norm's u and v    .buffer
///     optimizer.generator.m.0.kernel   a weight's first moment    .moment(.m, …)
///     optimizer.generator.v.0.kernel   a weight's second moment   .moment(.v, …)
///     fixed_noise                      the z `sample` draws from  .fixedNoise
///     ema.generator.0.kernel           the moving average's       .average(…)
///     ema.generator.2.running_mean       weights and buffers
enum ArchiveEntry: Hashable, CustomStringConvertible {
  /// A layer's trainable tensor.
  case weight(NetworkRole, LayerTensor)
  /// A layer's saved, untrained tensor (BatchNorm's running statistics).
  case buffer(NetworkRole, LayerTensor)
  /// The optimiser's state for one weight, of the weight's shape.
  case moment(Moment, NetworkRole, LayerTensor)
  /// The [samples, latent] noise `sample` draws its grids from.
  case fixedNoise
  /// A weight or buffer of the generator's moving average (`GeneratorAverage`).
  case average(LayerTensor)

  /// A tensor of one layer: the layer's index in its network and the layer's own name for
  /// the tensor (`kernel`, `bias`, `gamma`, `beta`, `running_mean`, `running_var`, `sn_u`,
  /// `sn_v`).
  struct LayerTensor: Hashable {
    var layer: Int
    var name: String
  }

  /// `m`: Adam's first moment, SGD's velocity; `v`: Adam's second moment (zero for SGD).
  enum Moment: String, CaseIterable {
    case m
    case v
  }

  /// A tensor and its entry: what `save` writes under the entry's name, and where `load`
  /// puts what it reads under that name.
  typealias Named = (entry: ArchiveEntry, tensor: Tensor)

  /// Tensors of a weight's size the archive holds for each weight: it and its moments.
  static let tensorsPerWeight = 1 + Moment.allCases.count

  /// The name in `tensors.bin`.
  var description: String {
    switch self {
    case .weight(let role, let t), .buffer(let role, let t): "\(role.rawValue).\(t.layer).\(t.name)"
    case .moment(let moment, let role, let t): "optimizer.\(role.rawValue).\(moment.rawValue).\(t.layer).\(t.name)"
    case .fixedNoise: "fixed_noise"
    case .average(let t): "ema.generator.\(t.layer).\(t.name)"
    }
  }

  /// The moving average's tensors in the order `tensors.bin` holds them: every weight, then
  /// every buffer (it has no optimiser).
  static func averageTensors(of network: Sequential) -> [Named] {
    var weights: [Named] = []
    var buffers: [Named] = []
    for (i, layer) in network.layers.enumerated() {
      for p in layer.parameters { weights.append((.average(LayerTensor(layer: i, name: p.name)), p.value)) }
      for b in layer.buffers { buffers.append((.average(LayerTensor(layer: i, name: b.name)), b.value)) }
    }
    return weights + buffers
  }

  /// A network's tensors in the order `tensors.bin` holds them: every weight, every buffer,
  /// then each weight's moments in turn. `optimizer` must be the network's own.
  static func tensors(of role: NetworkRole, _ network: Sequential, _ optimizer: Optimizer) -> [Named] {
    var weights: [Named] = []
    var buffers: [Named] = []
    var moments: [Named] = []
    for (i, layer) in network.layers.enumerated() {
      for parameter in layer.parameters {
        let k = weights.count
        precondition(
          k < optimizer.parameters.count && optimizer.parameters[k].parameter === parameter,
          "the \(role) optimizer's parameter \(k) is not layer \(i)'s \(parameter.name)")
        let tensor = LayerTensor(layer: i, name: parameter.name)
        weights.append((.weight(role, tensor), parameter.value))
        moments.append((.moment(.m, role, tensor), optimizer.firstMoments[k]))
        moments.append((.moment(.v, role, tensor), optimizer.secondMoments[k]))
      }
      for buffer in layer.buffers {
        buffers.append((.buffer(role, LayerTensor(layer: i, name: buffer.name)), buffer.value))
      }
    }
    precondition(
      weights.count == optimizer.parameters.count,
      "the \(role) optimizer has \(optimizer.parameters.count) parameters, the network \(weights.count)")
    return weights + buffers + moments
  }
}
