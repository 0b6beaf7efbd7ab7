extension Interpreter {
  /// `help`: the commands, one command or layer, the layers, or the settings.
  func help(_ topic: String?) throws(SessionError) {
    guard let topic else {
      report(.help(.commands(CommandTable.entries.map { ($0.usage, $0.summary) })))
      return
    }
    if topic == "layers" || topic == "layer" {
      report(
        .help(
          .layers(
            LayerTable.entries.map {
              ($0.usage, $0.help + ($0.aliases.isEmpty ? "" : " (also: \($0.aliases.joined(separator: ", ")))"))
            })))
    } else if topic == "settings" {
      report(.help(.settings(Setting.Name.allCases.map { ($0.rawValue, $0.help) })))
    } else if let entry = CommandTable.entry(named: topic)
      ?? CommandTable.firstWords.first(where: {
        $0.word == topic
      })?.entry
    {
      report(
        .help(
          .command(
            usage: entry.usage, summary: entry.summary, help: entry.help + conceptPointer(entry.name),
            options: entry.syntax.options.map { ($0.name, $0.help) })))
    } else if let entry = LayerTable.entry(named: topic) {
      report(
        .help(
          .command(
            usage: entry.usage, summary: "layer", help: entry.help + conceptPointer(entry.name),
            options: entry.syntax.options.map { ($0.name, $0.help) })))
    } else if let setting = Setting.Name(rawValue: topic) {
      report(.help(.settings([(setting.rawValue, setting.help)])))
    } else {
      let all = CommandTable.names + LayerTable.names + ["layers", "settings"]
      throw SessionError(.unknownCommand(topic, suggestion: closest(to: topic, among: all)))
    }
  }
}
