import Foundation
import Testing

@testable import Session

@Suite("Process liveness")
struct ProcessLivenessTests {
  @Test("an exited process has ended; this one and a running one have not")
  func ended() throws {
    #expect(processHasEnded(try CacheSweepTests.deadPid()))
    #expect(!processHasEnded(getpid()))
    #expect(!processHasEnded(getppid()))
  }
}
