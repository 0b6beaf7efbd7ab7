import Foundation
import Testing

@testable import Session

@Suite("Memory budget")
struct MemoryBudgetTests {
  @Test("products of sizes are checked: overflow and negative factors give nil, not a trap")
  func checkedProducts() {
    #expect(MemoryBudget.bytes(1_000_000, 1024, 1024, 3) == 3_145_728_000_000)
    #expect(MemoryBudget.bytes(Int.max, 2) == nil)
    #expect(MemoryBudget.bytes(99_999_999_999, 99_999_999_999) == nil)
    #expect(MemoryBudget.bytes(4, -1) == nil)
    #expect(MemoryBudget.bytes() == 1)
  }

  @Test("check says how much is needed, how much there is and what to try")
  func checkMessage() {
    #expect(throws: Never.self) { try MemoryBudget.check(bytes: 1000, for: "x", hint: "h", available: 1000) }
    #expect {
      try MemoryBudget.check(bytes: 3_145_728_000_000, for: "the data", hint: "try less", available: 8 << 30)
    } throws: {
      let e = $0 as! SessionError
      return e.message
        == "the data needs about 2.9 TiB (3145728000000 bytes) of memory,"
        + " but this machine has 8.0 GiB (8589934592 bytes) available"
        && e.hint == "try less"
    }
    #expect { try MemoryBudget.check(bytes: nil, for: "the data", hint: "h", available: 100) } throws: {
      ($0 as! SessionError).message
        == "the data needs more than 8 EiB of memory, but this machine has 100 bytes available"
    }
  }

  @Test("/proc/meminfo is read in bytes, and the machine has some memory")
  func meminfo() {
    let fields = MemoryBudget.meminfo(
      "MemTotal:       16318412 kB\nMemAvailable:    1000 kB\nHugePages_Total:       0\n")
    #expect(fields["MemAvailable"] == 1_024_000)
    #expect(fields["HugePages_Total"] == 0)
    #expect(MemoryBudget.available > 1 << 20)
  }

  @Test("'data faces count=1000000 size=1024' is refused before allocating, with a count that fits")
  func facesTooLarge() throws {
    let interpreter = Interpreter()
    #expect { try run("data faces count=1000000 size=1024", in: interpreter) } throws: {
      let e = $0 as! SessionError
      guard case .notEnoughMemory(_, let needed, let available, _) = e.kind else { return false }
      let fit = available / (1024 * 1024 * 3)
      return needed == 3_145_728_000_000
        && e.message.hasPrefix(
          "1000000 faces at 1024×1024×3 needs about 2.9 TiB (3145728000000 bytes) of memory, but this machine has ")
        && e.hint == "at size 1024 about \(fit) images fit: try count=\(fit) or fewer, or a smaller size"
        && e.location?.line == 1
    }
    #expect(interpreter.state.dataset == nil)
  }

  @Test("a folder or points too large for the memory given are refused, naming the option")
  func folderAndPoints() {
    var spec = DataSpec(source: .folder("photos"))
    spec.size = 64
    #expect(throws: Never.self) { try spec.checkMemory(count: 10, available: 10 * 64 * 64 * 3) }
    #expect { try spec.checkMemory(count: 11, available: 10 * 64 * 64 * 3) } throws: {
      ($0 as! SessionError).hint == "at size 64 about 10 images fit: try limit=10 or fewer, or a smaller size"
    }
    let ring = DataSpec(source: .ring(count: 1000))
    #expect { try ring.checkMemory(count: 1000, available: 800) } throws: {
      ($0 as! SessionError).message.hasPrefix("1000 points needs about 7.8 KiB (8000 bytes)")
    }
  }
}
