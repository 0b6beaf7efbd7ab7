import Foundation
import Testing

/// Ctrl-C at mpirun: Open MPI 4's mpirun sends every rank SIGCONT, then SIGTERM a second
/// later, then SIGKILL (`MPIStopSignals`); the ranks take the first as Ctrl-C and stop
/// after the same step, rank 0 says so, and each ends before the SIGKILL.
@Suite(.enabled(if: mpirunPath != nil, "Open MPI's mpirun is not installed (scripts/install-deps)"))
struct MPIInterruptTests {
  @Test("SIGINT to mpirun stops every rank after the same step; rank 0 reports it, nothing is saved")
  func interruptAtMPIRun() throws {
    // started.png is written at step 20 of the train, so the signal comes mid-train even
    // on a loaded machine (not before its first step, which would report no step).
    let path = try notebook(
      MPITests.toyMLP.replacingOccurrences(
        of: "train 1 epochs", with: "every 20 steps sample 4 \"started.png\"\ntrain 1000 epochs"))
    let folder = (path as NSString).deletingLastPathComponent
    let (stdoutFile, stderrFile) = (folder + "/stdout.txt", folder + "/stderr.txt")
    let arguments = ["--oversubscribe", "-n", "3", ganreplBinary(), "--quiet", "--no-timings", path]
    let pid = try spawnWithSignalsOpen(
      mpirunPath!, arguments, in: folder, stdout: stdoutFile, stderr: stderrFile,
      environment: ProcessInfo.processInfo.environment.merging(mpiEnvironment) { $1 })
    let started = Date()
    while !FileManager.default.fileExists(atPath: folder + "/started.png") && Date().timeIntervalSince(started) < 60 {
      Thread.sleep(forTimeInterval: 0.1)
    }
    Thread.sleep(forTimeInterval: 0.5)
    kill(pid, SIGINT)
    let interrupted = Date()
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let stdout = try String(contentsOfFile: stdoutFile, encoding: .utf8)
    let stderr = try String(contentsOfFile: stderrFile, encoding: .utf8)
    // mpirun itself sleeps out its two 1 s beats before exiting, and exits with 1.
    #expect(Date().timeIntervalSince(interrupted) < 10)
    #expect(status != 0)
    // Rank 0 could only report after a last allreduce with every rank: they agreed on the step.
    #expect(stdout.contains("stopped after "), "\(stdout)")
    #expect(stderr.contains("t.gan:20:1: error: interrupted while running"), "\(stderr)")
    #expect(stderr.components(separatedBy: "error:").count == 2 && !stderr.contains("rank 1"), "\(stderr)")
    #expect(!stderr.contains("signal"), "a rank was killed before it stopped:\n\(stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
  }
}

/// Starts `program` with every signal unblocked and at its default action, in `directory`,
/// its output into two files; returns its pid. Foundation's `Process` starts children
/// with the calling thread's signal mask, and a test's thread blocks SIGINT: mpirun would
/// never see the Ctrl-C this test sends.
func spawnWithSignalsOpen(
  _ program: String, _ arguments: [String], in directory: String, stdout: String, stderr: String,
  environment: [String: String]
) throws -> pid_t {
  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var (none, all) = (sigset_t(), sigset_t())
  sigemptyset(&none)
  sigfillset(&all)
  posix_spawnattr_setsigmask(&attributes, &none)
  posix_spawnattr_setsigdefault(&attributes, &all)
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  // sh changes directory (glibc's posix_spawn_file_actions_addchdir_np is not in Swift's Glibc).
  let shell = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, program]
  let argv = (shell + arguments).map { strdup($0) } + [nil]
  let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
  defer { for p in argv + envp { free(p) } }
  var pid: pid_t = 0
  let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
  guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
  return pid
}
