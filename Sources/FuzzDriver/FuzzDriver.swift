import Foundation

/// What the fuzz executables (FuzzLanguage, FuzzSession) share: built with `-DFUZZING`, the
/// hand-over to libFuzzer; without it, replaying saved inputs (a corpus, a crash).
public enum FuzzDriver {
  #if FUZZING
    /// Hands the process's arguments to libFuzzer, which calls `test` on every input. SwiftPM
    /// gives an executable target its own `main`, so libFuzzer's `main` is not used.
    public static func run(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
      var argc = CommandLine.argc
      var argv = CommandLine.unsafeArgv
      exit(LLVMFuzzerRunDriver(&argc, &argv, test))
    }
  #endif

  /// Calls `run(path, bytes, named)` for every input in `paths`: a file, or a folder whose
  /// files run in name order (`named` is false for those); then prints how many ran.
  public static func replay(_ paths: [String], _ run: (_ path: String, _ bytes: Data, _ named: Bool) -> Void) {
    var count = 0
    for path in paths {
      var isFolder: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
      let files =
        isFolder.boolValue
        ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
        : [path]
      for file in files {
        guard let bytes = FileManager.default.contents(atPath: file) else { continue }
        run(file, bytes, !isFolder.boolValue)
        count += 1
      }
    }
    print("replayed \(count) inputs without a trap")
  }
}

#if FUZZING
  /// libFuzzer's own entry (LLVM 12 and later), which takes the arguments and the test.
  @_silgen_name("LLVMFuzzerRunDriver")
  func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
  ) -> CInt
#endif
