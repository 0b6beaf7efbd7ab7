import Foundation
import Testing

/// D's layers that judge samples together under mpirun: each rank packs (`pack`) or
/// groups (`mbstd`) the rows of its own part of the batch, so every part of every batch must
/// split at the places one process splits the whole.
extension MPITests {
  /// The toy MLP with `mbstd` in D, on 192 points in batches of 24: no last batch.
  static let toyMinibatchStdDev = toyMLP.replacingOccurrences(of: "  dropout 0.3\n", with: "  mbstd\n  dropout 0.3\n")
    .replacingOccurrences(of: "count=200 batch=32", with: "count=192 batch=24")

  @Test("a D with mbstd under -n 2 and -n 3 (24 = 12 + 12 = 8 + 8 + 8) follows one process")
  func minibatchStdDevFollowsOneProcess() throws {
    #expect(Self.toyMinibatchStdDev.contains("  mbstd\n") && Self.toyMinibatchStdDev.contains("batch=24"))
    try compareWithOneProcess(Self.toyMinibatchStdDev, ranks: [2, 3])
  }

  @Test("mbstd: parts that do not split into whole groups (8 = 2 + 3 + 3) are refused, with batches to try")
  func minibatchStdDevPartsRefused() throws {
    let path = try notebook(Self.toyMinibatchStdDev.replacingOccurrences(of: "batch=24", with: "batch=8"))
    let folder = (path as NSString).deletingLastPathComponent
    #expect(try ganrepl(["--quiet", path], in: folder).status == 0, "one process groups 8 as 4 + 4")
    let run = try mpirun(3, ["--quiet", path], in: folder)
    #expect(run.status != 0)
    #expect(
      run.stderr.contains(
        "invalid batch '8': expected parts that are each a multiple of 4, the discriminator's mbstd group: each of"
          + " the 3 MPI ranks forms the groups of its own part (2 + 3 + 3); try 'set batch 12'"), "\(run.stderr)")
  }

  @Test("the batch sizes a refusal suggests are taken: mbstd, 200 points in batches of 32 on -n 3 (last batch dropped)")
  func suggestionsWork() throws {
    let text = Self.toyMinibatchStdDev.replacingOccurrences(of: "count=192 batch=24", with: "count=200 batch=32")
    let path = try notebook(text)
    let folder = (path as NSString).deletingLastPathComponent
    let refused = try mpirun(3, ["--quiet", path], in: folder)
    #expect(refused.status != 0)
    let suggested = refused.stderr.matches(of: /'set batch (\d+)'/).map { String($0.output.1) }
    #expect(!suggested.isEmpty, "\(refused.stderr)")
    // No batch keeps a last batch of 200 that splits into groups of 4 on 3 ranks.
    #expect(refused.stderr.contains("; try 'set keep-last-batch false' with 'set batch 24' or 'set batch 36'"))
    for batch in suggested {
      let changed = "set keep-last-batch false\n" + text.replacingOccurrences(of: "batch=32", with: "batch=\(batch)")
      let run = try mpirun(3, ["--quiet", try notebook(changed)], in: folder)
      #expect(run.status == 0, "batch \(batch): \(run.stderr)")
    }
  }

  @Test("a kept last batch must split on every rank too: mbstd (188 leave 20 = 10 + 10), pack (198 leave 6 = 3 + 3)")
  func lastBatchPartsRefused() throws {
    let grouped = Self.toyMinibatchStdDev.replacingOccurrences(of: "count=192", with: "count=188")
    let packed = MPITests.toyMLP.replacingOccurrences(of: "discriminator\n", with: "discriminator\n  pack 2\n")
      .replacingOccurrences(of: "count=200 batch=32", with: "count=198 batch=8")
    for (text, expected) in [
      (
        grouped,
        "each a multiple of 4, the discriminator's mbstd group (188 samples leave 20: 10 + 10); try"
          + " 'set keep-last-batch false'"
      ),
      (
        packed,
        "each a multiple of 2, the discriminator's pack (198 samples leave 6: 3 + 3); try"
          + " 'set keep-last-batch false'"
      ),
    ] {
      let path = try notebook(text)
      let folder = (path as NSString).deletingLastPathComponent
      let run = try mpirun(2, ["--quiet", path], in: folder)
      #expect(run.status == 1, "\(run.stderr)")
      #expect(run.stderr.contains(expected), "\(run.stderr)")
      let dropped = try notebook("set keep-last-batch false\n" + text)
      #expect(try mpirun(2, ["--quiet", dropped], in: folder).status == 0)
    }
  }
}
