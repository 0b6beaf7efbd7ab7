import Foundation
import Layers
import Tensors

/// `export generator|discriminator` and `import …`: one network's weights as a safetensors
/// file in PyTorch's layout (`TorchLayout`), its definition in `__metadata__`.
///
/// Import checks every name, dtype, shape and value before anything is written: the
/// values it returns are in ganrepl's layout, ready to copy into the network.
enum WeightsFile {
  /// The file's bytes for `network`, whose optimizer's step count is stored as each
  /// BatchNorm's `num_batches_tracked`.
  static func encode(
    _ role: NetworkRole, _ network: Sequential, _ optimizer: Optimizer, definition: NetworkDefinition, step: Int,
    shown: Sequential? = nil
  ) throws(SessionError) -> [UInt8] {
    let layout = try tensors(role, network, optimizer, definition: definition, shown: shown)
    let named: [SafeTensors.Named] = layout.map { t in
      guard let target = t.target else {
        return (t.name, .I64, t.shape, withUnsafeBytes(of: Int64(optimizer.steps).littleEndian) { [UInt8]($0) })
      }
      return (t.name, .F32, t.shape, SafeTensors.bytes(t.order.map { target.pointer[$0] }))
    }
    return SafeTensors.encode(named, metadata: metadata(role, network, definition: definition, step: step))
  }

  /// What `__metadata__` says: the format PyTorch's loaders expect, and the network as
  /// ganrepl defines it (a notebook block), so the file alone says what it holds.
  static func metadata(_ role: NetworkRole, _ network: Sequential, definition: NetworkDefinition, step: Int)
    -> [String: String]
  {
    let initializer =
      switch definition.initializer {
      case .glorot: "init=glorot"
      case .normal(let std): "init=normal std=\(std)"
      }
    let block = (["\(role.rawValue) \(initializer)"] + definition.layers.map { "  \($0)" } + ["end"])
    return [
      "format": "pt",
      "ganrepl.network": role.rawValue,
      "ganrepl.definition": block.joined(separator: "\n"),
      "ganrepl.input": network.inputShape.dims.map(String.init).joined(separator: "x"),
      "ganrepl.step": "\(step)",
      "ganrepl.layout": "PyTorch nn.Sequential as self.main: main.K is ganrepl's layer K; NCHW",
    ]
  }

  /// The values for each of the network's tensors in `bytes` (read from `path`), in
  /// ganrepl's layout; nothing is changed. Errors name the tensor and what differs.
  static func decode(
    _ bytes: [UInt8], path: String, _ role: NetworkRole, _ network: Sequential, _ optimizer: Optimizer,
    definition: NetworkDefinition
  ) throws(SessionError) -> [(target: Tensor, values: [Float])] {
    let file: SafeTensors
    do {
      file = try SafeTensors(decoding: bytes)
    } catch {
      throw SessionError(
        .badWeightsFile(
          path, reason: error.reason,
          hint: "export it again ('export \(role.rawValue) \"PATH\"'), or write it with safetensors' save_file"))
    }
    let layout = try tensors(role, network, optimizer, definition: definition)
    let input = network.inputShape.dims.map(String.init).joined(separator: "x")
    func differs(_ reason: String, hint: String? = nil) -> SessionError {
      if let hint { return SessionError(.badWeightsFile(path, reason: reason, hint: hint)) }
      // A file ganrepl exported says what its network took in: a latent size apart is the
      // likeliest difference, and the cheapest to mend.
      if role == .generator, file.metadata["ganrepl.network"] == "generator",
        let theirs = file.metadata["ganrepl.input"],
        let latent = theirs.split(separator: "x").last, latent != input.split(separator: "x").last
      {
        return SessionError(
          .badWeightsFile(
            path, reason: reason,
            hint: "the file's generator takes z of size \(theirs) (its __metadata__ 'ganrepl.input'), this one"
              + " \(input): 'set latent \(latent)', define the generator again, and import again"))
      }
      return SessionError(
        .badWeightsFile(
          path, reason: reason,
          hint: "the file holds another network: define the \(role.rawValue) it was exported from "
            + (file.metadata["ganrepl.definition"] == nil ? "" : "(its __metadata__ 'ganrepl.definition' holds it) ")
            + "and import again"))
    }
    let entries = TorchLayout.parametrizationNames(file.entries)
    // BatchNorm's `num_batches_tracked` may be missing, as PyTorch's load_state_dict allows
    // for old checkpoints: ganrepl counts the steps itself.
    let missing = layout.filter { entries[$0.name] == nil && $0.target != nil }
    if let first = missing.first {
      let reason =
        "has no tensor '\(first.name)' for the \(role.rawValue)'s layer \(first.layer) "
        + "(\(definition.layers[first.layer]))"
      // Another prefix than self.main (nn.Sequential kept as self.net, DataParallel's module.,
      // a bare Sequential): say what the file has, and how to rename it.
      let names = entries.keys.sorted()
      if let name = names.first, !names.contains(where: { $0.hasPrefix("main.") }) {
        let parts = name.split(separator: ".")
        let prefix = parts.prefix { !$0.allSatisfy(\.isNumber) }.joined(separator: ".")
        let renamed = prefix.isEmpty ? "'main.' + k" : "k.replace('\(prefix).', 'main.', 1)"
        throw differs(
          reason + "; its tensors are named '\(name)'" + (names.count > 1 ? ", '\(names[1])'" : "")
            + (names.count > 2 ? ", …" : ""),
          hint: "ganrepl reads PyTorch's nn.Sequential kept as self.main ('main.0.weight'): rename the tensors,"
            + " in Python {\(renamed): v for k, v in state_dict.items()}, save_file them and import again")
      }
      throw differs(
        reason
          + (TorchLayout.spectralNormMismatch(missing: first.name, among: entries.keys)
            ?? more(missing.dropFirst().map(\.name))))
    }
    let known = Set(layout.map(\.name))
    let extra = entries.keys.filter { !known.contains($0) }.sorted()
    if let first = extra.first {
      throw differs("has tensor '\(first)', which the \(role.rawValue) has no place for" + more(extra.dropFirst()))
    }
    var result: [(target: Tensor, values: [Float])] = []
    for t in layout {
      guard let entry = entries[t.name] else { continue }  // a num_batches_tracked left out
      let dtype: SafeTensors.DType = t.target == nil ? .I64 : .F32
      guard entry.dtype == dtype else {
        throw differs(
          "has tensor '\(t.name)' of dtype \(entry.dtype.rawValue) where \(dtype.rawValue) is expected",
          hint:
            "the network fits, the number type does not: in Python, {k: v.long() if k.endswith('num_batches_tracked')"
            + " else v.float() for k, v in state_dict.items()}, save_file that and import again")
      }
      guard entry.shape == t.shape else {
        throw differs(
          "has tensor '\(t.name)' of shape \(entry.shapeText), but the \(role.rawValue)'s layer \(t.layer) "
            + "(\(definition.layers[t.layer])) needs \(SafeTensors.Entry.text(t.shape))")
      }
      guard let target = t.target else { continue }  // num_batches_tracked: counted by ganrepl itself
      let torch = file.floats(entry)
      if let bad = torch.firstIndex(where: { !$0.isFinite }) {
        throw SessionError(
          .badWeightsFile(
            path, reason: "has tensor '\(t.name)' holding \(torch[bad].isNaN ? "NaN" : "infinity") at index \(bad)",
            hint: "the weights diverged before they were written; export them from an earlier point"))
      }
      if t.name.hasSuffix("running_var"), let negative = torch.firstIndex(where: { $0 < 0 }) {
        throw SessionError(
          .badWeightsFile(
            path,
            reason: "has tensor '\(t.name)' holding a negative variance, \(torch[negative]), at index \(negative)",
            hint: "a variance is never below 0: the file was edited or damaged; export it again"))
      }
      var values = [Float](repeating: 0, count: torch.count)
      for (k, g) in t.order.enumerated() { values[g] = torch[k] }
      result.append((target, values))
    }
    return result
  }

  /// `network`'s tensors in PyTorch's layout, or an error naming the layer that has none.
  private static func tensors(
    _ role: NetworkRole, _ network: Sequential, _ optimizer: Optimizer, definition: NetworkDefinition,
    shown: Sequential? = nil
  ) throws(SessionError) -> [TorchLayout.Tensor] {
    do {
      return try TorchLayout.tensors(of: role, network, optimizer, shown: shown)
    } catch {
      throw SessionError(
        .invalidValue(
          "\(definition.layers[error.layer])", for: "\(role.rawValue) layer \(error.layer)",
          expected: "a layer PyTorch's nn.Sequential can mirror: \(error.reason)"))
    }
  }

  /// ", and 2 more: a, b" for the rest of a list of names (at most three shown).
  private static func more<C: Collection<String>>(_ rest: C) -> String {
    guard !rest.isEmpty else { return "" }
    return "; \(rest.count) more: " + rest.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
      + (rest.count > 3 ? ", …" : "")
  }
}
