import Session

/// The words for `data` and `show data`: the images, their batches per epoch as training
/// takes them, the cache, and the files skipped.
extension Presenter {
  /// "31 batches per epoch: 30 of 64, the last of 12", as training will take them.
  func batchesPerEpoch(count: Int, batch: Int, batches: Int, unit: String = "images") -> String {
    let held = batches * batch
    switch batches {
    case 0: return "no batch of \(batch) per epoch (keep-last-batch is false)"
    case 1 where held > count: return "1 batch of \(count) per epoch (fewer \(unit) than the batch size, \(batch))"
    case _ where held > count:
      return
        "\(grouped(batches)) batches per epoch: \(grouped(batches - 1)) of \(batch), the last of \(count - held + batch)"
    default:
      let plural = "\(grouped(batches)) batch\(batches == 1 ? "" : "es") of \(batch) per epoch"
      return held == count ? plural : plural + " (\(count - held) left out each epoch: keep-last-batch is false)"
    }
  }

  func dataLoaded(_ d: DataSummary) -> String {
    let batches = batchesPerEpoch(
      count: d.count, batch: d.batch, batches: d.batchesPerEpoch, unit: d.spec.source.isPoints ? "points" : "images")
    if d.spec.source.isPoints {
      return "data \(d.spec.source): \(grouped(d.count)) point\(d.count == 1 ? "" : "s") (2-D); \(batches)"
    }
    let spec = d.spec
    let range = spec.range.rawValue.replacingOccurrences(of: "..", with: ", ")
    var s =
      "data \(spec.source): \(grouped(d.count)) image\(d.count == 1 ? "" : "s") \(d.sampleShape.compact) in [\(range)], \(spec.resize.rawValue)"
    if spec.flip { s += ", flipped at random" }
    s += ", \(bytes(d.bytes))" + (d.ranks > 1 ? " on rank 0 (each of the \(d.ranks) ranks holds its share)" : "")
    s += "; \(batches)"
    if timings, let seconds = d.seconds {
      s += String(format: "; %.1f s", seconds)
      if !d.fromCache && seconds > 0.05 {
        let rate = Double(d.count + d.skipped.count) / seconds
        s += rate < 10 ? String(format: " (%.2f images/s)", rate) : " (\(grouped(Int(rate))) images/s)"
      }
    }
    if d.fromCache, let file = d.cacheFile { s += "\n  from the cache \(file)" }
    if let note = d.cacheNote { s += "\n  \(note)" }
    if let t = d.cacheTrimmed {
      s +=
        "\n  removed the \(t.files) least recently used cache file\(t.files == 1 ? "" : "s") (\(bytes(t.bytes))) to"
        + " keep the cache under \(bytes(t.limit)) (GANREPL_CACHE_LIMIT, in GiB)"
    }
    if !d.skipped.isEmpty {
      // `data` names three; `show data` (no load time) names them all, a line each.
      let all = d.seconds == nil
      s += "\nskipped \(d.skipped.count) unreadable file\(d.skipped.count == 1 ? "" : "s"):"
      s +=
        all
        ? d.skipped.map { "\n  \($0.file) (\($0.reason))" }.joined()
        : " " + d.skipped.prefix(3).map { "\($0.file) (\($0.reason))" }.joined(separator: ", ")
      if !all && d.skipped.count > 3 { s += ", … ('show data' names all \(d.skipped.count))" }
    }
    if d.skippedElsewhere > 0 {
      let n = d.skippedElsewhere
      s +=
        "\n" + (d.skipped.isEmpty ? "skipped" : "and")
        + " \(n) unreadable file\(n == 1 ? "" : "s") in the other ranks' shares"
    }
    return s
  }
}
