import Foundation
import Session
import Tensors

let version = "0.1.0"

/// `ganrepl` opens the REPL; `ganrepl NOTEBOOK.gan` runs a notebook.
@main
struct GanREPL {
  static let usage = """
    usage: ganrepl [NOTEBOOK.gan] [--set NAME=VALUE]... [--no-timings] [--quiet]

      (no notebook)      open the interactive REPL
      NOTEBOOK.gan       run a notebook non-interactively; exit code 0 on success
                         (commands piped to stdin: exit code 1 if any failed)
      --set NAME=VALUE   set notebook parameter $NAME (overrides its 'param' default)
      --no-timings       leave wall-clock times out of the output (reproducible logs)
      --quiet            do not echo notebook lines
      --cpu              show the CPU and the OpenBLAS kernels in use, and why
      bench [tutorial|dcgan|all] [--steps N]
                         the 'bench' command from the shell ('ganrepl bench --help')
      --help, --version

    Ctrl-C, or SIGTERM/SIGHUP/SIGUSR1 from another shell, stops training after the
    current step (SIGTERM and SIGHUP then end ganrepl: exit 143 or 129).

    mpirun -n N ganrepl NOTEBOOK.gan   train on N processes (Open MPI), each step's batch
                                       split across them; rank 0 prints and saves.
                                       kill -USR1 <mpirun's pid> stops all after the step
    """

  static func main() {
    if let notice = KernelLaunch.start() { Terminal.error(notice) }
    if let notice = DirectConv.choice.notice { Terminal.error(notice) }
    if let notice = WinogradF4.choice.notice { Terminal.error(notice) }
    var notebook: String?
    var variables: [String: String] = [:]
    var timings = true
    var echo = true
    var args = CommandLine.arguments.dropFirst()
    if args.first == "bench" {
      args.removeFirst()
      exit(bench(Array(args)))
    }
    while let arg = args.popFirst() {
      switch arg {
      case "--help", "-h":
        print(usage)
        return
      case "--version":
        print("ganrepl \(version)")
        return
      case "--cpu":
        let text = KernelChoice.current.lines.joined(separator: "\n")
        print(Terminal.stdoutIsTerminal ? TextWrap.wrapped(text, width: Terminal.columns) : text)
        return
      case "--no-timings": timings = false
      case "--quiet", "-q": echo = false
      case "--set":
        guard let pair = args.popFirst() else { fail("--set needs NAME=VALUE") }
        setVariable(pair, &variables)
      default:
        if arg.hasPrefix("--set=") {
          setVariable(String(arg.dropFirst(6)), &variables)
        } else if arg.hasPrefix("-") {
          fail("unknown option '\(arg)'")
        } else if notebook == nil {
          notebook = arg
        } else {
          fail("one notebook at a time ('\(notebook!)' and '\(arg)')")
        }
      }
    }
    Interrupt.install()
    let ranks = MPIRun.start()
    let interpreter = Interpreter(variables: variables, shouldStop: { Interrupt.requested })
    if let notebook {
      // mpirun hands its ranks a pseudo-terminal whatever its own output is (a log, most
      // often), so under mpirun the output is always written as to a log.
      let presenter = Presenter(timings: timings, live: Terminal.stdoutIsTerminal && ranks == nil)
      if ranks != nil { presenter.pictures.whyFile = "under mpirun the output is written as a log" }
      var runner = NotebookRunner(path: notebook, interpreter: interpreter, presenter: presenter, echo: echo)
      guard let ranks else { exit(runner.run()) }
      runner.interrupted = { ranks.any(Interrupt.requested) }
      exit(MPIRun.run(runner, on: ranks))
    }
    if ranks != nil { fail("under mpirun, give a notebook: the REPL reads from one terminal") }
    let presenter = Presenter(timings: timings, live: Terminal.stdoutIsTerminal)
    let editor = LineEditor(interactive: Terminal.isInteractive)
    if editor.interactive { TerminalSignals.install() }
    let failed = REPL(interpreter: interpreter, presenter: presenter, editor: editor).run()
    // Piped input is a script like a notebook: a failed command must show in the exit code.
    if failed && !editor.interactive { exit(1) }
  }

  /// `ganrepl bench [tutorial|dcgan|all] [--steps N]`: the `bench` command, from the shell.
  static func bench(_ args: [String]) -> Int32 {
    guard let line = benchLine(args) else {
      print(
        "usage: ganrepl bench [tutorial|dcgan|all] [--steps N]\n"
          + "       ganrepl bench data PATH [--size 64] [--channels 3] [--resize squash|crop] [--steps N]\n"
          + "(or the options as at the prompt: steps=N size=64 …)")
      return 0
    }
    Interrupt.install()
    let interpreter = Interpreter(shouldStop: { Interrupt.requested })
    let ranks = MPIRun.start()  // `mpirun -n N ganrepl bench`: the ranks share each step
    let presenter = Presenter(timings: true, live: Terminal.stdoutIsTerminal && ranks == nil)
    if let ranks {
      interpreter.state.communicator = ranks
      presenter.rank = (ranks.rank, ranks.size)
    }
    do {
      var parser = Parser(file: "<command line>")
      guard let command = try parser.read(line, number: 1, variables: [:]) else { return 2 }
      _ = try interpreter.execute(command, report: presenter.show)
      ranks?.finish()
      return 0
    } catch {
      presenter.error(error)
      ranks?.abort(code: 1)
      return 1
    }
  }

  /// The `bench` line the shell's arguments stand for (`--steps 3`, or `steps=3` as at the
  /// prompt; a path after `data` quoted as the language reads it); nil for `--help`.
  static func benchLine(_ args: [String]) -> String? {
    var words = ["bench"]
    var rest = args[...]
    while let arg = rest.popFirst() {
      if arg == "--steps", let n = rest.popFirst() {
        words.append("steps=\(n)")
      } else if arg.hasPrefix("--steps=") {
        words.append("steps=" + arg.dropFirst(8))
      } else if arg == "--help" || arg == "-h" {
        return nil
      } else if arg.hasPrefix("--"), let value = rest.popFirst() {
        words.append(arg.dropFirst(2) + "=" + value)
      } else if let equals = arg.firstIndex(of: "="), ["size", "channels", "resize", "steps"].contains(arg[..<equals]) {
        words.append(arg)
      } else if words.count >= 2 && words[1] == "data" {
        words.append(Lexer.quoted(arg))
      } else {
        words.append(arg)
      }
    }
    return words.joined(separator: " ")
  }

  static func setVariable(_ pair: String, _ variables: inout [String: String]) {
    guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
      fail("--set needs NAME=VALUE, got '\(pair)'")
    }
    let (name, value) = (String(pair[..<eq]), String(pair[pair.index(after: eq)...]))
    // An empty value would quietly turn "${out}/x.png" into "/x.png".
    guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
      fail("--set \(name)= has no value; write --set \(name)=VALUE")
    }
    variables[name] = value
  }

  static func fail(_ message: String) -> Never {
    Terminal.error("ganrepl: \(message)\n\n\(usage)")
    exit(2)
  }
}
