import Foundation
@preconcurrency import Glibc
import Testing

/// What the executable accepts as a notebook or as piped commands, and the exit codes.
@Suite("Notebook files, piped input and exit codes")
struct NotebookInputTests {
  @Test("CRLF, lone CR and a byte-order mark read like Unix lines", arguments: ["\r\n", "\r", "\n"], [false, true])
  func lineEndings(newline: String, byteOrderMark: Bool) throws {
    let text = ["param who = \"crlf\"", "show params", "trian"].joined(separator: newline) + newline
    let path = try notebook((byteOrderMark ? "\u{FEFF}" : "") + text)
    let r = try ganrepl([path])
    #expect(r.status == 1)
    #expect(r.stderr.hasPrefix("\(path):3:1: error: unknown command 'trian'\n"), "\(r.stderr)")
    let good = try ganrepl([
      try notebook(
        (byteOrderMark ? "\u{FEFF}" : "") + ["param who = \"crlf\"", "show params"].joined(separator: newline))
    ])
    #expect(good.status == 0)
    #expect(
      good.stdout == "ganrepl> param who = \"crlf\"\n$who = crlf\nganrepl> show params\n$who  crlf\n", "\(good.stdout)")
  }

  @Test("a folder or a FIFO given as a notebook says what it is")
  func notAFile() throws {
    let folder = URL(fileURLWithPath: try notebook("")).deletingLastPathComponent().path
    let r = try ganrepl([folder])
    #expect(r.status == 1)
    #expect(r.stderr == "error: cannot read \(folder): it is a folder, not a notebook file\n")
    let fifo = folder + "/pipe.gan"
    #expect(mkfifo(fifo, 0o600) == 0)
    let p = try ganrepl([fifo])
    #expect(p.status == 1)
    #expect(p.stderr == "error: cannot read \(fifo): it is a FIFO (named pipe), not a regular file\n")
  }

  @Test("piped commands exit 1 if any failed, 0 if none did")
  func pipedExitCode() throws {
    let failing = try ganrepl([], input: "trian\nhelp step\n")
    #expect(failing.status == 1)
    #expect(failing.stdout.contains("step [N]"), "it stopped at the error")
    #expect(try ganrepl([], input: "trian\nquit\n").status == 1)
    #expect(try ganrepl([], input: "help step\nquit\n").status == 0)
    #expect(try ganrepl([], input: "help step\n").status == 0)
  }

  @Test("in a notebook, load over unsaved training is an error unless it says discard; ending unsaved is fine")
  func loadOverUnsavedTraining() throws {
    let folder = URL(fileURLWithPath: try notebook("")).deletingLastPathComponent().path
    let saved = "\(folder)/run"
    let save = try ganrepl([try notebook(tinyGAN + "\nstep 2\nsave \"\(saved)\"\nstep 1\n"), "--quiet", "--no-timings"])
    #expect(save.status == 0, "\(save.stderr)")

    let path = try notebook(tinyGAN + "\nstep 3\nload \"\(saved)\"\nshow history 1\n")
    let refused = try ganrepl([path, "--quiet", "--no-timings"])
    #expect(refused.status == 1)
    #expect(
      refused.stderr == """
        \(path):22:1: error: loading would throw away 3 training steps taken since the last save
          hint: save first with 'save "PATH"', or write 'load "\(saved)" discard' to load anyway

        """)

    let discarded = try ganrepl([
      try notebook(tinyGAN + "\nstep 3\nload \"\(saved)\" discard\nshow history 1\n"), "--quiet", "--no-timings",
    ])
    #expect(discarded.status == 0, "\(discarded.stderr)")
    let lastLine = discarded.stdout.split(separator: "\n").last ?? ""
    #expect(lastLine.hasPrefix("step 2  epoch 1 batch 2/3"), "the saved session (step 2) was not loaded: \(lastLine)")

    let savedFirst = try ganrepl([
      try notebook(tinyGAN + "\nstep 1\nsave \"\(folder)/other\"\nload \"\(saved)\"\n"), "--quiet", "--no-timings",
    ])
    #expect(savedFirst.status == 0, "saving first makes the load safe: \(savedFirst.stderr)")
  }
}
