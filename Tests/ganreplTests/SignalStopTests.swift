import Foundation
import Testing

/// SIGTERM and SIGHUP (`timeout`, Slurm, `docker stop`, a closed terminal) stop a running
/// notebook or command as Ctrl-C does, after the current step, say what was not saved, and
/// end ganrepl with 128 + the signal. With nothing running they end it at once.
struct SignalStopTests {
  /// Starts ganrepl with `arguments`, its output in a file; `input` is kept open (piped
  /// commands) until the process ends.
  /// It runs in a new temporary folder, where its pictures go; `nohup` runs it under nohup.
  func start(_ arguments: [String], input: String? = nil, nohup: Bool = false) throws -> (
    Process, output: String, Pipe
  ) {
    let folder = NSTemporaryDirectory() + "ganrepl-signal-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let output = folder + "/run.log"
    FileManager.default.createFile(atPath: output, contents: nil)
    let process = Process()
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    process.executableURL = URL(fileURLWithPath: nohup ? "/usr/bin/nohup" : ganreplBinary())
    process.arguments = (nohup ? [ganreplBinary()] : []) + arguments
    let file = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
    process.standardOutput = file
    process.standardError = file
    let stdin = Pipe()
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    return (process, output, stdin)
  }

  /// Waits up to 60 s for `text` in the file at `path`.
  func waitFor(_ text: String, in path: String) -> Bool {
    for _ in 0..<600 {
      if let log = try? String(contentsOfFile: path, encoding: .utf8), log.contains(text) { return true }
      usleep(100_000)
    }
    return false
  }

  /// Many short epochs: an epoch line every few milliseconds, in a log; a minute or so in all
  /// (a debug build), so that a signal that does not stop it fails the test, not hangs it.
  let longTraining = tinyGAN + "\ntrain 20000 epochs\nsample 4 \"never.png\"\n"

  @Test("SIGTERM stops a notebook after its current step, says what was not saved, and ends it with 143")
  func notebookTerm() throws {
    let (process, output, _) = try start([try notebook(longTraining)])
    #expect(waitFor("epoch 3:", in: output))
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    let log = try String(contentsOfFile: output, encoding: .utf8)
    #expect(process.terminationReason == .exit && process.terminationStatus == 143, "\(log.suffix(600))")
    #expect(log.contains("ganrepl: asked to end (SIGTERM or SIGHUP); it ends once the command stops"))
    #expect(log.contains("error: interrupted while running"))
    #expect(log.contains("training steps not saved since its last save"))
    #expect(!log.contains("never.png"))
  }

  @Test("under nohup SIGHUP is ignored, as nohup means: the notebook goes on; SIGTERM still stops it")
  func nohupKeepsRunning() throws {
    let (process, output, _) = try start([try notebook(longTraining)], nohup: true)
    #expect(waitFor("epoch 3:", in: output))
    kill(process.processIdentifier, SIGHUP)
    usleep(300_000)
    #expect(process.isRunning, "SIGHUP ended a notebook under nohup")
    let before = (try? String(contentsOfFile: output, encoding: .utf8))?.count ?? 0
    usleep(300_000)
    #expect(((try? String(contentsOfFile: output, encoding: .utf8))?.count ?? 0) > before, "it trains on")
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    #expect(process.terminationStatus == 143)
  }

  @Test("SIGHUP stops piped commands after the current step and ends ganrepl with 129; idle, SIGTERM ends it at once")
  func pipedHangUp() throws {
    let (process, output, stdin) = try start([], input: longTraining)
    #expect(waitFor("epoch 3:", in: output))
    kill(process.processIdentifier, SIGHUP)
    process.waitUntilExit()
    try? stdin.fileHandleForWriting.close()
    let log = try String(contentsOfFile: output, encoding: .utf8)
    #expect(process.terminationReason == .exit && process.terminationStatus == 129, "\(log.suffix(600))")
    #expect(log.contains("note: ganrepl ended with"), "\(log.suffix(600))")

    let (idle, idleOutput, idleInput) = try start([], input: "set seed 3\n")
    #expect(waitFor("seed 3", in: idleOutput))
    kill(idle.processIdentifier, SIGTERM)
    idle.waitUntilExit()
    try? idleInput.fileHandleForWriting.close()
    #expect(idle.terminationReason == .uncaughtSignal && idle.terminationStatus == SIGTERM)
  }
}
