import Foundation
import Session
import Testing

/// The built `ganrepl` binary, beside the test bundle.
/// GANREPL_BINARY runs the tests against another build (an older one, to see them fail).
func ganreplBinary() -> String {
  if let chosen = ProcessInfo.processInfo.environment["GANREPL_BINARY"] { return chosen }
  let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
    "ganrepl"
  ).path
  if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
  return repositoryRoot + "/.build/debug/ganrepl"
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().path

struct Run {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs ganrepl with `arguments` (and `input` on stdin) in `directory`; `environment` adds
/// or replaces variables of this process's environment.
func ganrepl(
  _ arguments: [String], input: String = "", in directory: String? = nil, environment: [String: String] = [:]
) throws -> Run {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: ganreplBinary())
  process.arguments = arguments
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
  if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
  let (out, err, inp) = (Pipe(), Pipe(), Pipe())
  process.standardOutput = out
  process.standardError = err
  process.standardInput = inp
  try process.run()
  inp.fileHandleForWriting.write(Data(input.utf8))
  try inp.fileHandleForWriting.close()
  let stdout = out.fileHandleForReading.readDataToEndOfFile()
  let stderr = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return Run(
    status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
    stderr: String(decoding: stderr, as: UTF8.self))
}

/// Writes `text` to a new notebook file and returns its path.
func notebook(_ text: String, name: String = "t.gan") throws -> String {
  let folder = NSTemporaryDirectory() + "ganrepl-exe-\(UUID().uuidString.prefix(8))"
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  let path = folder + "/" + name
  try text.write(toFile: path, atomically: true, encoding: .utf8)
  return path
}

let tinyGAN = """
  set seed 5
  data faces count=24 size=8 batch=8 range=-1..1
  set latent 4
  generator init=normal
    dense 2*2*8
    reshape 2x2x8
    batchnorm
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
  """

@Suite("The ganrepl executable")
struct ExecutableTests {
  @Test("a notebook with a typo fails before running anything, with file:line:col and a suggestion")
  func syntaxError() throws {
    let path = try notebook("set seed 1\ndata faces\ntrian 1 epoch\n")
    let r = try ganrepl([path])
    #expect(r.status == 1)
    #expect(r.stderr == "\(path):3:1: error: unknown command 'trian'\n  hint: did you mean 'train'?\n")
    #expect(r.stdout.isEmpty)
  }

  @Test("a failing command stops the notebook with a non-zero exit and the error's place")
  func runtimeError() throws {
    let path = try notebook("set seed 1\ndata \"/no/such/folder\" size=32\nstep\n")
    let r = try ganrepl([path, "--quiet"])
    #expect(r.status == 1)
    #expect(r.stderr.hasPrefix("\(path):2:1: error: no such file or folder: /no/such/folder\n"))
    #expect(r.stdout == "seed 1: networks defined from now on start from it\n")
  }

  @Test("a notebook that stops at an error says how many trained steps were not saved")
  func unsavedNote() throws {
    let stopped = try ganrepl([try notebook(tinyGAN + "\nstep 2\nload \"nowhere\"\n"), "--quiet"])
    #expect(stopped.status == 1)
    #expect(stopped.stderr.contains("note: the notebook stopped with 2 training steps not saved"), "\(stopped.stderr)")
    let untrained = try ganrepl([try notebook(tinyGAN + "\nload \"nowhere\"\n"), "--quiet"])
    #expect(untrained.status == 1 && !untrained.stderr.contains("not saved"), "\(untrained.stderr)")
  }

  @Test("--set overrides a param; bad command lines get usage and exit 2")
  func commandLine() throws {
    let path = try notebook("param who = \"default\"\nshow params\n")
    let r = try ganrepl([path, "--quiet", "--set", "who=given"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("$who = given"))
    let bad = try ganrepl(["--frobnicate"])
    #expect(bad.status == 2 && bad.stderr.contains("unknown option '--frobnicate'"))
    #expect(try ganrepl([path + ".missing"]).stderr.contains("no such file or folder"))
    // An empty value would make "${out}/x.png" the root's /x.png.
    let empty = try ganrepl([path, "--set", "who="])
    #expect(empty.status == 2 && empty.stderr.contains("--set who= has no value; write --set who=VALUE"))
  }

  @Test("save in one process, load in another, train on: the same numbers as one run")
  func saveLoadAcrossProcesses() throws {
    let folder = URL(fileURLWithPath: try notebook("")).deletingLastPathComponent().path
    let straight = try ganrepl([try notebook(tinyGAN + "\nstep 7\n"), "--quiet", "--no-timings"])
    let first = try ganrepl([try notebook(tinyGAN + "\nstep 4\nsave \"\(folder)/run\"\n"), "--quiet", "--no-timings"])
    let second = try ganrepl([try notebook("load \"\(folder)/run\"\nstep 3\n"), "--quiet", "--no-timings"])
    #expect(straight.status == 0 && first.status == 0 && second.status == 0, "\(first.stderr) \(second.stderr)")
    let steps = { (r: Run) in r.stdout.split(separator: "\n").filter { $0.hasPrefix("step ") } }
    #expect(steps(straight).count == 7)
    #expect(Array(steps(straight).suffix(3)) == steps(second))
    #expect(Array(steps(straight).prefix(4)) == steps(first))
  }

  @Test("a session saved with a relative data folder finds it when loaded from another folder")
  func relativeDataFolder() throws {
    let project = URL(fileURLWithPath: try notebook("")).deletingLastPathComponent().path
    try FileManager.default.createDirectory(atPath: project + "/pics", withIntermediateDirectories: true)
    for i in 0..<4 {
      let pixels = (0..<48).map { UInt8(($0 * 37 + i * 50) % 256) }
      try DecodedImage(width: 4, height: 4, channels: 3, pixels: pixels).writePNG(to: project + "/pics/\(i).png")
    }
    let saved = try ganrepl(
      [try notebook("data \"./pics\" size=4 batch=2 cache=off\nsave \"run\"\n"), "--no-timings"], in: project)
    #expect(saved.status == 0, "\(saved.stderr)")
    let load = try notebook("load \"\(project)/run\"\nshow data\n")
    let elsewhere = try ganrepl([load, "--no-timings"], in: NSTemporaryDirectory())
    #expect(elsewhere.status == 0 && !elsewhere.stderr.contains("could not be loaded"), "\(elsewhere.stderr)")
    #expect(elsewhere.stdout.contains("read it from \(project)/pics, where it was when the session was saved"))
    #expect(elsewhere.stdout.contains("4 images 4×4×3"), "\(elsewhere.stdout)")
    // From the project folder the typed path is read, without a word.
    let here = try ganrepl([load, "--no-timings"], in: project)
    #expect(here.status == 0 && !here.stdout.contains("read it from") && here.stdout.contains("4 images 4×4×3"))
  }

  @Test("the REPL reads piped lines, survives errors, and keeps going")
  func replSurvives() throws {
    let r = try ganrepl([], input: "trian\nconv 3\nhelp step\nset batch 0\nset batch 4\nshow settings\nquit\n")
    #expect(r.status == 1, "piped input that had errors exits 1, like a notebook")
    #expect(r.stderr.contains("<stdin>:1:1: error: unknown command 'trian'"))
    #expect(r.stderr.contains("<stdin>:4:11: error: invalid batch '0'"))
    #expect(r.stdout.contains("step [N]"))
    #expect(r.stderr.contains("<stdin>:2:1: error: 'conv' is a layer, not a command"))
    #expect(r.stdout.split(separator: "\n").contains { $0.hasPrefix("batch ") && $0.hasSuffix(" 4") })
  }

  @Test(
    "help, summary, a short seeded training run and a diagnosis match the golden transcripts (RECORD_SNAPSHOTS=1 re-records)"
  )
  func golden() throws {
    let goldenFolder = repositoryRoot + "/Tests/ganreplTests/Golden"
    for name in [
      "summary", "help", "train", "mistakes", "curves", "explain", "diagnose", "toy", "export", "every", "quality",
      "recipes", "pack", "export-sn", "paths",
    ] {
      // The SSE2 kernels on every machine, so every machine takes the same rules: with AVX2
      // or AVX-512 they take Winograd's large tile as far as the CPU's FMA width goes
      // (`ConvMethod.choice`), which `paths` would show, and whose rounding meets OpenBLAS's
      // kernels (Haswell's or SkylakeX's) in the fourth digit of `recipes`' gradient norms.
      let r = try ganrepl(
        ["\(name).gan", "--no-timings"], in: goldenFolder, environment: ["GANREPL_DIRECT_CONV": "sse2"])
      let expectedPath = "\(goldenFolder)/\(name).txt"
      let transcript = r.stdout + (r.stderr.isEmpty ? "" : "--- stderr\n" + r.stderr)
      if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try transcript.write(toFile: expectedPath, atomically: true, encoding: .utf8)
        Issue.record("re-recorded \(expectedPath); run again without RECORD_SNAPSHOTS")
        continue
      }
      let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
      #expect(transcript == expected, "\(name): output differs from \(expectedPath)")
    }
  }
}
