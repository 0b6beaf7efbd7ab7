/// What Tab can complete at the end of a partly typed line: command names at the start
/// of a line, layer names inside a block, a command's options and keywords after it.
/// nil means "complete a file name" (inside quotes).
public enum Completion {
  public static func candidates(line: String, insideBlock: Bool) -> [String]? {
    let quotes = line.filter { $0 == "\"" }.count
    if quotes % 2 == 1 { return nil }
    let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    let startingWord = line.isEmpty || line.last == " "
    let previous = startingWord ? words : Array(words.dropLast())
    if previous.isEmpty {
      return insideBlock
        ? LayerTable.entries.map(\.name) + ["end"]
        : CommandTable.entries.map(\.name)
    }
    let head = previous[0].lowercased()
    if insideBlock, let layer = LayerTable.entry(named: head) {
      return layer.syntax.options.map { $0.name + "=" }
    }
    guard let command = CommandTable.entry(named: head) else { return [] }
    var result: [String] = command.syntax.options.map { $0.isFlag ? $0.name : $0.name + "=" }
    switch command.name {
    case "help": result += CommandTable.names + ["layers", "settings"]
    case "set": result += previous.count == 1 ? Setting.Name.allCases.map(\.rawValue) : []
    case "loss": result += ["bce", "mse"]
    case "optimizer": result += ["generator", "discriminator", "adam", "sgd"]
    case "summary": result += NetworkRole.allCases.map(\.rawValue)
    case "train": result += previous.count == 2 ? ["epochs", "steps"] : []
    case "every": result += ["steps", "epochs", "sample", "save", "off"]
    case "bench": result += ["tutorial", "dcgan", "all", "data"]
    case "show": result += previous.count == 1 ? ["data", "settings", "history", "params"] : []
    case "data": result += previous.count == 1 ? ["faces", "ring", "grid"] : ["squash", "crop"]
    default: break
    }
    return result
  }
}
