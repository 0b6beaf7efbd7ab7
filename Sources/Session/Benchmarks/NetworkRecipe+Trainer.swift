import Layers
import Tensors

extension NetworkRecipe {
  /// The recipe's two networks as a fresh session running its notebook builds them (the
  /// weights drawn from the default seed's weights stream, in the notebook's order), each
  /// with its optimiser, and the trainer of both at the default labels (real 1, fake 0).
  /// Throws when training both at the recipe's batch would not fit in memory.
  func makeTrainer(communicator: any Communicator = SingleProcess()) throws(SessionError) -> GANTrainer {
    let weights = RandomStreams(seed: 1)[.weights]
    var built: [NetworkRole: Sequential] = [:]
    let workspace = Workspace()
    for (role, definition) in networks {
      let input =
        role == .generator ? Interpreter.generatorInput(definition.layers, latent: latent) : image
      do {
        built[role] = try Sequential(
          input: input, specs: definition.layers, initializer: definition.initializer, random: weights,
          workspace: workspace)
      } catch {
        throw SessionError(.network(role.rawValue, error))
      }
    }
    let g = built[.generator]!
    let d = built[.discriminator]!
    let bytes = [g, d].compactMap { NetworkMemory.trainingBytes(input: $0.inputShape, specs: $0.specs, batch: batch) }
    try NetworkMemory.check(bytes.reduce(0, +), for: "training both networks at batch \(batch)")
    return GANTrainer(
      generator: g, discriminator: d, optimizerG: Optimizer(optimizer, parameters: g.namedParameters),
      optimizerD: Optimizer(optimizer, parameters: d.namedParameters),
      objective: .init(loss: loss, discriminatorLoss: discriminatorLoss, realLabel: 1, fakeLabel: 0),
      communicator: communicator)
  }
}
