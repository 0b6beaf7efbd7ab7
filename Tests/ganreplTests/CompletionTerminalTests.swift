import Foundation
import Testing

/// Tab completion in the REPL itself, under a terminal (`script` gives ganrepl a pty, so
/// readline reads the keys): what lands on the line, not only the candidate list.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "util-linux's script is absent"))
struct CompletionTerminalTests {
  @Test("an option completes to NAME= with its value typed right after the sign; a word gets its space")
  func optionTakesItsValueAfterTheSign() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qec", ganreplBinary(), "/dev/null"]
    let (out, inp) = (Pipe(), Pipe())
    process.standardOutput = out
    process.standardError = out
    process.standardInput = inp
    try process.run()
    inp.fileHandleForWriting.write(Data("eval swd cou\t7\naugment tra\tshift=0.25\nquit\n".utf8))
    try inp.fileHandleForWriting.close()
    let shown = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(shown.contains("eval swd count=7"), "\(shown)")
    #expect(shown.contains("augment translation shift=0.25"), "\(shown)")
  }
}
