/// What `train` reports when an epoch ends: the epoch's averages, or, when this run joined
/// the epoch part-way, the averages of the batches it trained, said as such.
extension SessionEvent {
  /// `last` is the step that finished `epoch`; `averages` hold this run's steps of it,
  /// which are consecutive and end at the epoch's last batch.
  static func epochEnded(_ epoch: Int, last: StepStats, averages: StepAverages) -> SessionEvent {
    let first = last.batch - averages.steps + 1
    guard first > 1 else { return .epochFinished(epoch: epoch, averages: averages) }
    return .partialEpochFinished(
      epoch: epoch, batches: first...last.batch, of: last.batchesPerEpoch, averages: averages)
  }
}
