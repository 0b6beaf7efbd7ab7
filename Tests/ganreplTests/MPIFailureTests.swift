import Foundation
import Testing

/// How an mpirun job fails: one clear message, the rank that failed named, never a hang.
@Suite(.serialized, .enabled(if: mpirunPath != nil, "Open MPI's mpirun is not installed (scripts/install-deps)"))
struct MPIFailureTests {
  static let imagesNotebook = """
    param images = "images"
    set seed 3
    data $images size=8 batch=5
    generator
      dense 8*8*3
      reshape 8x8x3
      tanh
    end
    discriminator
      flatten
      dense 1
      sigmoid
    end
    train 2 steps
    """

  @Test("a data folder missing on one rank ends the job with that rank's message, not a hang")
  func badPathOnOneRank() throws {
    let path = try notebook(Self.imagesNotebook)
    let folder = (path as NSString).deletingLastPathComponent
    let images = repositoryRoot + "/samples/gray-faces"
    let start = Date()
    let run = try mpirun(
      [
        ["-n", "1", ganreplBinary(), "--quiet", path, "--set", "images=\(images)"],
        ["-n", "1", ganreplBinary(), "--quiet", path, "--set", "images=no-such-folder"],
      ], in: folder)
    #expect(run.status != 0)
    #expect(run.stderr.contains("ganrepl: rank 1 of 2 failed, ending the run:"), "\(run.stderr)")
    #expect(run.stderr.contains("error: no such file or folder: no-such-folder"), "\(run.stderr)")
    #expect(Date().timeIntervalSince(start) < 60)
    #expect(!run.stdout.contains("trained"), "rank 0 cannot train alone:\n\(run.stdout)")
  }

  @Test("an error every rank meets is reported once, by rank 0")
  func sameErrorOnEveryRank() throws {
    let path = try notebook(MPITests.toyMLP.replacingOccurrences(of: "batch=32", with: "batch=2"))
    let folder = (path as NSString).deletingLastPathComponent
    let run = try mpirun(3, ["--quiet", path], in: folder)
    #expect(run.status != 0)
    #expect(
      run.stderr.contains(
        "t.gan:18:1: error: invalid batch '2': expected at least 3, one sample for each of the 3 MPI ranks"),
      "\(run.stderr)")
    #expect(!run.stderr.contains("rank 1"), "\(run.stderr)")
    #expect(run.stderr.components(separatedBy: "error:").count == 2, "one message:\n\(run.stderr)")
  }

  @Test("a short last batch that would leave a rank empty is refused")
  func lastBatchTooShort() throws {
    let path = try notebook(MPITests.toyMLP.replacingOccurrences(of: "batch=32", with: "batch=33"))
    let folder = (path as NSString).deletingLastPathComponent
    let run = try mpirun(3, ["--quiet", path], in: folder)
    #expect(run.status != 0)
    #expect(
      run.stderr.contains("(200 images leave 2 for 3 MPI ranks), or 'set keep-last-batch false'"), "\(run.stderr)")
  }

  @Test("started by mpirun without a usable libmpi: a clear error")
  func noLibMPI() throws {
    let path = try notebook(MPITests.toyMLP)
    let run = try ganrepl(
      [path], environment: ["OMPI_COMM_WORLD_SIZE": "2", "GANREPL_LIBMPI": "/nonexistent/libmpi.so.40"])
    #expect(run.status == 1)
    #expect(
      run.stderr.hasPrefix(
        "ganrepl: error: started by mpirun, but Open MPI cannot be used: cannot load /nonexistent/libmpi.so.40"),
      "\(run.stderr)")
    #expect(run.stderr.contains("hint: install Open MPI 4 or later"))
  }

  @Test("the REPL is not for mpirun: it asks for a notebook")
  func replUnderMPI() throws {
    let run = try mpirun(1, [], in: NSTemporaryDirectory())
    #expect(run.status != 0)
    #expect(run.stderr.contains("ganrepl: under mpirun, give a notebook"), "\(run.stderr)")
  }
}

/// Stopping a job: SIGUSR1 (which mpirun passes on to every rank) on any one rank stops
/// every rank after the same step.
@Suite(.enabled(if: mpirunPath != nil, "Open MPI's mpirun is not installed (scripts/install-deps)"))
struct MPIStopTests {
  @Test("SIGUSR1 to one rank stops every rank after the same step: interrupted, nothing saved, exit 130")
  func stopAfterStep() throws {
    // started.png is written at step 20 of the train, so the signal comes mid-train even
    // on a loaded machine (not before its first step, which would report no step).
    let path = try notebook(
      MPITests.toyMLP.replacingOccurrences(
        of: "train 1 epochs", with: "every 20 steps sample 4 \"started.png\"\ntrain 300 epochs"))
    let folder = (path as NSString).deletingLastPathComponent
    let process = Process()
    process.executableURL = URL(fileURLWithPath: mpirunPath!)
    process.arguments = ["--oversubscribe", "-n", "2", ganreplBinary(), "--quiet", "--no-timings", path]
    process.environment = ProcessInfo.processInfo.environment.merging(mpiEnvironment) { $1 }
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    let (out, err) = (Pipe(), Pipe())
    (process.standardOutput, process.standardError) = (out, err)
    try process.run()
    let started = Date()
    while !FileManager.default.fileExists(atPath: folder + "/started.png") && Date().timeIntervalSince(started) < 60 {
      Thread.sleep(forTimeInterval: 0.1)
    }
    Thread.sleep(forTimeInterval: 0.5)
    let ranks = try childProcesses(of: process.processIdentifier)
    #expect(ranks.count == 2)
    kill(ranks.last!, SIGUSR1)
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130, "\(stderr)")
    #expect(stdout.contains("stopped after "), "\(stdout)")
    #expect(stderr.contains("error: interrupted while running"), "\(stderr)")
    #expect(stderr.components(separatedBy: "error:").count == 2 && !stderr.contains("rank 1"), "\(stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
  }
}

/// The processes whose parent is `pid` (mpirun's ranks on this machine).
func childProcesses(of pid: Int32) throws -> [Int32] {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
  process.arguments = ["-P", "\(pid)"]
  let out = Pipe()
  process.standardOutput = out
  try process.run()
  let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  return text.split(separator: "\n").compactMap { Int32($0) }
}
