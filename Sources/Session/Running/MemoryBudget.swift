import Foundation
import Tensors

/// What the machine can give, checked before any large allocation: a dataset's pixels, a
/// network's tensors. A request that cannot fit is a `SessionError` saying how much is
/// needed, how much there is and what to try, instead of an abort inside the allocator.
///
///     let bytes = MemoryBudget.bytes(count, size, size, channels)   // nil if it overflows
///     try MemoryBudget.check(bytes: bytes, for: "1000000 faces at 1024×1024",
///                            hint: "try fewer images (count=…) or a smaller size")
public enum MemoryBudget {
  /// The product of `factors`, or nil if it overflows `Int` or a factor is negative: sizes
  /// that come from a user or a file are multiplied here, never with a trapping `*`.
  public static func bytes(_ factors: Int...) -> Int? { bytes(factors) }

  /// The product of `factors` (see `bytes(_:)`).
  public static func bytes(_ factors: [Int]) -> Int? { Shape.checkedProduct(factors) }

  /// Bytes this process can still allocate without failing: MemAvailable plus SwapFree
  /// from /proc/meminfo, capped by the cgroup's memory.max when one is set (a container);
  /// the physical memory where /proc is missing.
  public static var available: Int {
    var total: Int? = nil
    if let info = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) {
      let fields = meminfo(info)
      if let free = fields["MemAvailable"] { total = free + (fields["SwapFree"] ?? 0) }
    }
    var result = total ?? Int(clamping: ProcessInfo.processInfo.physicalMemory)
    if let limit = cgroupRoom { result = min(result, limit) }
    return result
  }

  /// Throws `.notEnoughMemory` if `bytes` (nil: a product that overflowed) is more than
  /// `available`. `what` names the request ("1000000 faces at 1024×1024"); `hint` says what
  /// to try.
  public static func check(bytes: Int?, for what: String, hint: String, available: Int = MemoryBudget.available)
    throws(SessionError)
  {
    if let bytes, bytes <= available { return }
    throw SessionError(.notEnoughMemory(what, needed: bytes, available: available, hint: hint))
  }

  /// `bytes` for people: "2.9 TiB (3145728000000 bytes)", or "more than 8 EiB" for nil.
  public static func describe(_ bytes: Int?) -> String {
    guard let bytes else { return "more than 8 EiB" }
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f %@ (%lld bytes)", value, units[unit], Int64(bytes))
  }

  /// "Name: value kB" lines of /proc/meminfo, in bytes.
  static func meminfo(_ text: String) -> [String: Int] {
    var fields: [String: Int] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " })
      guard parts.count >= 2, let value = Int(parts[1]) else { continue }
      let scale = parts.count >= 3 && parts[2] == "kB" ? 1024 : 1
      fields[String(parts[0])] = value.multipliedReportingOverflow(by: scale).overflow ? Int.max : value * scale
    }
    return fields
  }

  /// Room left under this process's cgroup v2 memory limit, if it has one.
  private static var cgroupRoom: Int? {
    guard let cgroup = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8),
      let line = cgroup.split(separator: "\n").first(where: { $0.hasPrefix("0::") })
    else { return nil }
    let directory = "/sys/fs/cgroup" + line.dropFirst(3).trimmingCharacters(in: .whitespaces)
    func read(_ name: String) -> Int? {
      (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8))
        .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
    guard let limit = read("memory.max") else { return nil }  // "max": no limit
    return max(0, limit - (read("memory.current") ?? 0))
  }
}
