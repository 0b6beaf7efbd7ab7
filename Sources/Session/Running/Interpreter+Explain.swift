/// `explain step`: one full step, like `step`, reported as a `StepExplanation` instead of
/// its one line.
extension Interpreter {
  func explainStep(perform: (PeriodicAction) throws(SessionError) -> Void) throws(SessionError) {
    let report = self.report
    try training.run(
      steps: 1, verbose: true,
      report: { event in
        guard case .step(let stats) = event, let result = state.measured.result else { return report(event) }
        report(.explainedStep(StepExplanation(stats, result, state: state)))
      }, perform: perform)
  }
}
