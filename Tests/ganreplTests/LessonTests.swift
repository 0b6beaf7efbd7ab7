import Foundation
import Testing

/// The lessons in `notebooks/lessons/` run in CI as a student would run them, only
/// shorter: each with the `--set` values below, in a fresh folder, through a pipe. A lesson
/// passes when it runs to its end without an error and every file it names (a `"${out}/…"`
/// path) and every file it says it wrote exists.
@Suite("The lessons")
struct LessonTests {
  /// How each lesson is shortened in CI; a new lesson needs an entry here. Measured in the
  /// debug build on the project's 2-core AMD EPYC: all six in about a minute.
  static let shortening: [String: [String]] = [
    "01-two-players.gan": ["steps=40"],
    "02-losses.gan": ["steps=40"],
    "03-mode-collapse.gan": ["steps=60", "every=50"],
    "04-what-goes-wrong.gan": ["steps=60", "balanced=60"],
    "05-faces.gan": ["epochs=2", "count=64"],
    "06-latent-and-memory.gan": ["epochs=2", "count=64"],
  ]

  static let folder = repositoryRoot + "/notebooks/lessons"

  static var lessons: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".gan") }.sorted()
  }

  @Test("there are at least six numbered lessons, each with a shortening entry and no stale entry")
  func everyLessonIsShortened() {
    #expect(Self.lessons.count >= 6)
    for lesson in Self.lessons {
      #expect(lesson.first?.isNumber == true && lesson.dropFirst(2).hasPrefix("-"), "\(lesson): name it NN-topic.gan")
      #expect(Self.shortening[lesson] != nil, "\(lesson) has no entry in LessonTests.shortening: CI would run it whole")
    }
    for lesson in Self.shortening.keys { #expect(Self.lessons.contains(lesson), "\(lesson) is listed but missing") }
  }

  @Test("each lesson runs to its end, shortened, and writes what it names", arguments: lessons)
  func lessonRuns(lesson: String) throws {
    let work = URL(fileURLWithPath: try notebook("")).deletingLastPathComponent().path
    let sets = (Self.shortening[lesson] ?? []) + ["out=\(work)/out"]
    let r = try ganrepl(
      [Self.folder + "/" + lesson, "--no-timings"] + sets.flatMap { ["--set", $0] }, in: work,
      environment: ["GANREPL_CACHE": work + "/cache"])
    #expect(r.status == 0, "\(lesson) failed:\n\(r.stderr)")
    #expect(!r.stderr.contains("error:"), "\(lesson):\n\(r.stderr)")
    let text = try String(contentsOfFile: Self.folder + "/" + lesson, encoding: .utf8)
    let named = Self.namedOutputs(text)
    #expect(!named.isEmpty, "\(lesson) writes no file of its own")
    for path in named {
      let full = work + "/out/" + path
      if let brace = path.firstIndex(of: "{") {
        let prefix = URL(fileURLWithPath: work + "/out/" + path[..<brace])
        let siblings =
          (try? FileManager.default.contentsOfDirectory(atPath: prefix.deletingLastPathComponent().path)) ?? []
        #expect(siblings.contains { $0.hasPrefix(prefix.lastPathComponent) }, "\(lesson): nothing written as \(path)")
      } else {
        #expect(FileManager.default.fileExists(atPath: full), "\(lesson): \(path) was not written")
      }
    }
    for wrote in Self.reportedWrites(r.stdout) {
      let full = wrote.hasPrefix("/") ? wrote : work + "/" + wrote
      #expect(FileManager.default.fileExists(atPath: full), "\(lesson) says it wrote \(wrote), but it is not there")
    }
  }

  /// The paths a lesson writes under `${out}`, as written (`step{step}.png` keeps its
  /// braces), from its commands, not its comments.
  static func namedOutputs(_ text: String) -> [String] {
    text.split(separator: "\n").flatMap { line -> [String] in
      let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      return code.components(separatedBy: "\"${out}/").dropFirst().compactMap { $0.split(separator: "\"").first }
        .map(String.init)
    }
  }

  /// The files a transcript says were written (`wrote PATH (…)`).
  static func reportedWrites(_ stdout: String) -> [String] {
    stdout.split(separator: "\n").compactMap { line in
      guard line.hasPrefix("wrote ") else { return nil }
      return line.dropFirst(6).split(separator: " ").first.map(String.init)
    }
  }
}
