import Foundation
import Session
import Testing

/// `mpirun -n N ganrepl NOTEBOOK` against the same notebook in one process: the ranks
/// split each batch and sum their gradients, so losses and weights follow the single run
/// to float rounding (summation order), on networks without BatchNorm. Skipped when Open
/// MPI's mpirun is not installed (scripts/install-deps installs it).
@Suite(.serialized, .enabled(if: mpirunPath != nil, "Open MPI's mpirun is not installed (scripts/install-deps)"))
struct MPITests {
  static let toyMLP = """
    param out = "out"
    set seed 5
    data ring count=200 batch=32
    set latent 4
    generator
      dense 16
      relu
      dropout 0.2
      dense 2
    end
    discriminator
      dense 16
      leakyrelu 0.2
      dropout 0.3
      dense 1
      sigmoid
    end
    step 3
    train 1 epochs
    step d 1
    step g 1
    save $out
    """

  static let smallConv = """
    param out = "out"
    set seed 7
    data faces count=40 size=8 batch=10 range=-1..1 flip
    set latent 4
    generator init=normal
      dense 2*2*8
      reshape 2x2x8
      relu
      deconv 3 kernel=4 stride=4 padding=valid
      tanh
    end
    discriminator
      conv 4 kernel=4 stride=2 padding=same
      leakyrelu 0.2
      flatten
      dropout 0.25
      dense 1
      sigmoid
    end
    optimizer adam lr=2e-4 beta1=0.5
    train 2 epochs
    save $out
    """

  @Test("the toy MLP under mpirun -n 2 and -n 3 (32 = 10 + 11 + 11) follows one process")
  func toyMLP() throws {
    try compareWithOneProcess(Self.toyMLP, ranks: [2, 3])
  }

  @Test(
    "under mpirun the output is a log's, whatever terminal mpirun gives its ranks: no escape codes, pictures as files")
  func logOutput() throws {
    let path = try notebook(tinyGAN + "\ntrain 6 steps\nsample 4\n")
    let folder = (path as NSString).deletingLastPathComponent
    let run = try mpirun(2, [path], in: folder)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(!run.stdout.contains("\u{1B}") && !run.stdout.contains("\r"), "\(run.stdout.debugDescription)")
    #expect(
      run.stdout.contains("wrote pictures/sample-step6.png (4 generated images at step 6; under mpirun the output is"),
      "\(run.stdout)")
    #expect(FileManager.default.fileExists(atPath: folder + "/pictures/sample-step6.png"))
  }

  @Test("a small conv net under mpirun -n 2 and -n 3 (10 = 3 + 3 + 4, flipped images) follows one process")
  func smallConv() throws {
    try compareWithOneProcess(Self.smallConv, ranks: [2, 3])
  }

  @Test("label noise and a fresh z for G under -n 2 and -n 3: the ranks draw what one process would")
  func labelNoiseFollowsOneProcess() throws {
    let text = Self.smallConv.replacingOccurrences(
      of: "optimizer adam", with: "set label-noise 0.05\nset g-noise fresh\noptimizer adam")
    #expect(text.contains("label-noise"))
    try compareWithOneProcess(text, ranks: [2, 3])
  }

  @Test("a session saved by one process resumes under -n 2 as it does alone, and one saved under -n 2 alone")
  func resumeAcrossRankCounts() throws {
    let first = try notebook(Self.toyMLP)
    let folder = (first as NSString).deletingLastPathComponent
    #expect(try ganrepl(["--quiet", first, "--set", "out=alone"], in: folder).status == 0)
    #expect(try mpirun(2, ["--quiet", first, "--set", "out=ranks"], in: folder).status == 0)
    let resume = folder + "/resume.gan"
    try "param from = \"alone\"\nparam out = \"out\"\nload $from\nstep 4\nsave $out\n".write(
      toFile: resume, atomically: true, encoding: .utf8)
    try compareWithOneProcess(path: resume, ranks: [2], extra: ["--set", "from=alone"])
    try compareWithOneProcess(path: resume, ranks: [2], extra: ["--set", "from=ranks"])
  }

  func compareWithOneProcess(_ text: String, ranks: [Int]) throws {
    try compareWithOneProcess(path: try notebook(text), ranks: ranks, extra: [])
  }

  func compareWithOneProcess(path: String, ranks: [Int], extra: [String]) throws {
    let folder = (path as NSString).deletingLastPathComponent
    let single = try ganrepl(["--quiet", "--no-timings", path, "--set", "out=one"] + extra, in: folder)
    #expect(single.status == 0, "\(single.stderr)")
    let reference = try loadSession(folder + "/one")
    for n in ranks {
      let run = try mpirun(n, ["--quiet", "--no-timings", path, "--set", "out=ranks\(n)"] + extra, in: folder)
      #expect(run.status == 0, "mpirun -n \(n): \(run.stderr)")
      #expect(run.stdout.components(separatedBy: "wrote ranks\(n)").count == 2, "rank 0 alone reports:\n\(run.stdout)")
      let parallel = try loadSession(folder + "/ranks\(n)")
      #expect(parallel.step == reference.step && parallel.history.count == reference.history.count)
      for (a, b) in zip(reference.history, parallel.history) {
        #expect(abs(a.lossD - b.lossD) < 1e-4 && abs(a.lossG - b.lossG) < 1e-4, "-n \(n) step \(a.step): \(a) vs \(b)")
      }
      for role in NetworkRole.allCases {
        let mine = parallel.networks[role]!.namedParameters
        for (x, y) in zip(reference.networks[role]!.namedParameters, mine) {
          let scale = max(x.parameter.value.values.map(abs).max()!, 1e-3)
          let diff = zip(x.parameter.value.values, y.parameter.value.values).map { abs($0 - $1) }.max()!
          #expect(diff / scale < 1e-4, "-n \(n) \(role) \(x.name): differs by \(diff) (largest value \(scale))")
        }
      }
    }
  }
}

/// Open MPI as root (CI runs as root), shared memory between ranks on this machine.
let mpiEnvironment = [
  "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1", "OMPI_MCA_btl": "self,vader",
]

/// Open MPI's mpirun, if installed.
let mpirunPath: String? = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}

/// `mpirun -n N ganrepl ARGS` (oversubscribed: more ranks than cores; allowed as root, as CI runs).
func mpirun(_ n: Int, _ arguments: [String], in directory: String) throws -> Run {
  try mpirun([["-n", "\(n)", ganreplBinary()] + arguments], in: directory)
}

/// `mpirun --oversubscribe APP : APP …`: each app its own `-n N PROGRAM ARGS`.
func mpirun(_ apps: [[String]], in directory: String, environment: [String: String] = [:]) throws -> Run {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: mpirunPath!)
  process.arguments = ["--oversubscribe"] + apps.joined(separator: [":"])
  process.environment = ProcessInfo.processInfo.environment.merging(mpiEnvironment) { $1 }.merging(environment) { $1 }
  process.currentDirectoryURL = URL(fileURLWithPath: directory)
  let (out, err) = (Pipe(), Pipe())
  process.standardOutput = out
  process.standardError = err
  process.standardInput = FileHandle.nullDevice
  try process.run()
  let stdout = out.fileHandleForReading.readDataToEndOfFile()
  let stderr = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  // Open MPI gives each rank a pseudo-terminal, so messages arrive wrapped at its width:
  // the checks read them unwrapped.
  func unwrapped(_ text: String) -> String {
    text.replacingOccurrences(of: #"\n {2,}(?!hint:)(?=[^ ])"#, with: " ", options: .regularExpression)
  }
  return Run(
    status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
    stderr: unwrapped(String(decoding: stderr, as: UTF8.self)))
}

/// The session saved in `folder`, loaded as `load` would.
func loadSession(_ folder: String) throws -> SessionState {
  let interpreter = Interpreter()
  var parser = Parser(file: "<test>")
  let command = try parser.read("load \"\(folder)\"", number: 1, variables: [:])!
  _ = try interpreter.execute(command) { _ in }
  return interpreter.state
}
