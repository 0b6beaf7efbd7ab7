import Foundation
import Layers
import Testing

@testable import Session

/// The tutorial's and the classic DCGAN's networks are written once, in `NetworkRecipe`:
/// `bench` trains them, and these tests hold every other copy to them (the notebooks that
/// define them and the golden summary transcript).
@Suite("Network recipes")
struct NetworkRecipeTests {
  /// What `recipe` sets up that `notebook`, run by an interpreter, sets up differently.
  static func differences(_ recipe: NetworkRecipe, _ notebook: String, file: String) throws -> [String] {
    let state = try NotebookFileTests.check(notebook, file: file).state
    let order = try Notebook(text: notebook, file: file, variables: [:]).commands.compactMap {
      if case .network(let role, _) = $0.value { role } else { nil }
    }
    var found: [String] = []
    func compare<T: Equatable>(_ name: String, _ ours: T, _ theirs: T?) {
      if ours != theirs { found.append("\(name): the recipe has \(ours), \(file) \(theirs.map { "\($0)" } ?? "none")") }
    }
    compare("image", recipe.image, state.dataset?.sampleShape)
    compare("range", recipe.range, state.dataset?.spec.range)
    compare("batch", recipe.batch, state.batch)
    compare("latent", recipe.latent, state.latent)
    compare("order of the networks", recipe.networks.map(\.role), order)
    for role in NetworkRole.allCases {
      compare("\(role) layers", recipe[role].layers, state.definitions[role]?.layers)
      compare("\(role) initializer", recipe[role].initializer, state.definitions[role]?.initializer)
      compare("\(role) optimizer", recipe.optimizer, state.optimizerSpecs[role])
    }
    compare("loss", recipe.loss, state.loss)
    compare("d-loss", recipe.discriminatorLoss, state.discriminatorLoss)
    return found
  }

  @Test(
    "bench's networks and their training are the ones the notebooks define",
    arguments: [(BenchmarkArchitecture.tutorial, "celeba.gan"), (.dcgan, "dcgan.gan")])
  func notebook(architecture: BenchmarkArchitecture, file: String) throws {
    let text = try String(contentsOfFile: repositoryRoot + "/notebooks/" + file, encoding: .utf8)
    let differences = try Self.differences(architecture.recipe, text, file: file)
    #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
  }

  @Test("the golden summary transcript shows the tutorial's networks")
  func goldenSummary() throws {
    let file = "summary.gan"
    let text = try String(contentsOfFile: repositoryRoot + "/Tests/ganreplTests/Golden/" + file, encoding: .utf8)
    let networks = try Notebook(text: text, file: file, variables: [:]).commands.compactMap {
      if case .network(let role, let definition) = $0.value { (role, definition.layers) } else { nil }
    }
    let tutorial = NetworkRecipe.tutorial.networks
    #expect(networks.prefix(2).map(\.0) == tutorial.map(\.role))
    #expect(networks.prefix(2).map(\.1) == tutorial.map(\.definition.layers))
  }

  @Test(
    "a recipe's trainer starts from the weights a fresh session defining its networks draws",
    arguments: BenchmarkArchitecture.allCases)
  func weights(architecture: BenchmarkArchitecture) throws {
    let recipe = architecture.recipe
    let trainer = try recipe.makeTrainer()
    let interpreter = Interpreter()
    var spec = DataSpec(source: .faces(count: 1))
    spec.size = recipe.image[0]
    spec.channels = recipe.image[2]
    let commands: [Command] =
      [.set(.latent(recipe.latent)), .data(spec, batch: recipe.batch)]
      + recipe.networks.map { .network($0.role, $0.definition) }
    for command in commands {
      _ = try interpreter.execute(Located(command, at: SourceLocation(file: "t.gan", line: 1, column: 1))) { _ in }
    }
    for (role, built) in [(NetworkRole.generator, trainer.generator), (.discriminator, trainer.discriminator)] {
      let defined = try #require(interpreter.state.networks[role])
      #expect(built.inputShape == defined.inputShape, "\(role)")
      #expect(built.namedParameters.map(\.name) == defined.namedParameters.map(\.name), "\(role)")
      #expect(
        zip(built.namedParameters, defined.namedParameters).allSatisfy {
          $0.parameter.value.values == $1.parameter.value.values
        },
        "\(role): the weights differ")
    }
  }
}
