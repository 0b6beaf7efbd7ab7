import Layers

/// What the last steps measured beyond their `StepStats`, for `explain step` and
/// `show gradients`: the last step's result (D's loss in parts) and, per network, the
/// norms of the last step that trained it. Not saved: a loaded session has none until it
/// steps.
struct LastMeasurements {
  /// Norms that belong to one network object: a redefined, reset or loaded network is
  /// another object, and the weak reference tells its norms apart from the old one's.
  struct Measured {
    weak var network: Sequential?
    var norms: GradientNorms
  }

  var result: GANTrainer.Result?
  private var measured: [NetworkRole: Measured] = [:]

  mutating func record(_ result: GANTrainer.Result, networks: [NetworkRole: Sequential]) {
    self.result = result
    for (role, norms) in result.norms { measured[role] = Measured(network: networks[role], norms: norms) }
  }

  /// The norms of `network`'s last update, if it has been trained since it was built or loaded.
  func norms(_ role: NetworkRole, of network: Sequential?) -> GradientNorms? {
    guard let entry = measured[role], let network, entry.network === network else { return nil }
    return entry.norms
  }
}
