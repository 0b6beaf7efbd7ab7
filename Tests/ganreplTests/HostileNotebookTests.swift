import Foundation
import Testing

/// Every notebook under Tests/Hostile/notebooks is run by the built binary exactly as a user
/// runs one (`ganrepl NAME.gan --quiet`, plus the arguments in NAME.args, one per line), in
/// a fresh folder. Its standard error must be NAME.expected: the `file:line:col: error: …`
/// line and its hints. `{ANY}` in an expected line stands for text that depends on the
/// machine (its memory). An empty NAME.expected means the notebook must succeed.
@Suite("Hostile notebooks")
struct HostileNotebookTests {
  static let folder = repositoryRoot + "/Tests/Hostile/notebooks"

  static var names: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { $0.hasSuffix(".gan") }.map { String($0.dropLast(4)) }.sorted()
  }

  @Test("the collection is there")
  func collection() {
    #expect(Self.names.count >= 20)
  }

  @Test("each gives exactly its expected error, never a trap", arguments: names)
  func hostile(_ name: String) throws {
    let source = Self.folder + "/" + name
    let expected = try String(contentsOfFile: source + ".expected", encoding: .utf8)
    let extra =
      (try? String(contentsOfFile: source + ".args", encoding: .utf8))
      .map { $0.split(separator: "\n").map(String.init) } ?? []
    let directory = NSTemporaryDirectory() + "ganrepl-hostile-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try FileManager.default.copyItem(atPath: source + ".gan", toPath: directory + "/" + name + ".gan")

    let run = try ganrepl([name + ".gan", "--quiet"] + extra, in: directory)
    #expect(run.status == (expected.isEmpty ? 0 : 1), "\(name): exit status \(run.status), stderr:\n\(run.stderr)")
    #expect(matches(run.stderr, expected), "\(name): stderr was\n\(run.stderr)\nexpected\n\(expected)")
  }

  /// Whether `text` is `pattern` with each `{ANY}` standing for some text within a line.
  func matches(_ text: String, _ pattern: String) -> Bool {
    let pieces = pattern.components(separatedBy: "{ANY}")
    guard pieces.count > 1 else { return text == pattern }
    guard text.hasPrefix(pieces[0]), text.hasSuffix(pieces.last!) else { return false }
    var rest = text.dropFirst(pieces[0].count)
    for piece in pieces.dropFirst() {
      guard let range = rest.range(of: piece), !rest[..<range.lowerBound].contains("\n") else { return false }
      rest = rest[range.upperBound...]
    }
    return rest.isEmpty
  }
}
