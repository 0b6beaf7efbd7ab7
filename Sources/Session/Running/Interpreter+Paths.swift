import Layers

extension Interpreter {
  /// `show generator`, `show discriminator`: each layer that multiplies (dense, conv,
  /// deconv), the method each of its passes runs at the network's sizes, and why.
  func showPaths(_ role: NetworkRole) throws(SessionError) {
    guard let network = state.networks[role] else {
      throw SessionError(.missing(role.rawValue, hint: "define one with a '\(role.rawValue)' block"))
    }
    let rows = network.layers.enumerated().compactMap { i, layer in
      layer.computePaths.map { NetworkPaths.Row(index: i, definition: layer.spec.description, paths: $0) }
    }
    report(.paths(NetworkPaths(role: role, rows: rows)))
  }
}
