import Foundation
import Tensors
import TestSupport
import Testing

@testable import Session

/// `interpolate` (slerp through the fixed noise) and `nearest` (the memorisation check).
@Suite("Latent walks and nearest images")
struct LatentTests {
  static func normal(_ count: Int, seed: UInt64) -> [Float] {
    let t = Tensor.randomNormal(Shape(count), using: RandomSource(seed: seed))
    return t.values
  }

  static func norm(_ v: [Float]) -> Float { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

  @Test("slerp starts at A, ends at B, and keeps the norm where linear interpolation loses it")
  func slerp() {
    let a = Self.normal(100, seed: 1)
    let raw = Self.normal(100, seed: 2)
    let b = raw.map { $0 * Self.norm(a) / Self.norm(raw) }  // the same norm as a
    #expect(LatentWalk.slerp(a, b, t: 0) == a)
    #expect(LatentWalk.slerp(a, b, t: 1) == b)
    let middle = LatentWalk.slerp(a, b, t: 0.5)
    let linear = zip(a, b).map { ($0 + $1) / 2 }
    #expect(abs(Self.norm(middle) / Self.norm(a) - 1) < 1e-4)
    #expect(Self.norm(linear) < 0.8 * Self.norm(a))
    // Norms between A's and B's when they differ, moving monotonically.
    let c = b.map { $0 * 2 }
    let norms = stride(from: 0.0, through: 1.0, by: 0.125).map { Self.norm(LatentWalk.slerp(a, c, t: $0)) }
    #expect(zip(norms, norms.dropFirst()).allSatisfy { $0 <= $1 + 1e-4 })
    // Nearly parallel vectors fall back to a straight line instead of dividing by sin 0.
    #expect(LatentWalk.slerp(a, a, t: 0.3).allSatisfy { $0.isFinite })
  }

  @Test("nearest finds a training image given as a query, at distance 0, first")
  func nearestFindsAnExactImage() throws {
    let interpreter = Interpreter()
    try run(tinyGAN, in: interpreter)
    let dataset = interpreter.state.dataset!
    let queries = Tensor(zeros: dataset.sampleShape.batched(2))
    dataset.fill(queries, with: [17, 3])
    let matches = try #require(NearestImages.search(queries, in: dataset, k: 3, threads: 2))
    #expect(NearestImages.search(queries, in: dataset, k: 3, threads: 2, shouldStop: { true }) == nil)
    #expect(matches.map { $0[0].index } == [17, 3])
    #expect(matches.map { $0[0].distance } == [0, 0])
    #expect(matches.allSatisfy { $0.count == 3 && $0[1].distance > 0 && $0[1].distance <= $0[2].distance })
  }

  @Test("nearest and interpolate write a row per image and a one-row walk")
  func latentPictures() throws {
    let folder = temporaryFolder()
    let interpreter = Interpreter()
    let events = try run(
      tinyGAN + "\nstep 2\nnearest 2 \"\(folder)/nn.png\"\ninterpolate 0 7 steps=5 \"\(folder)/walk.png\"",
      in: interpreter)
    let nearest = try DecodedImage.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: "\(folder)/nn.png")))).get()
    #expect(nearest.width == 4 * 18 + 2 && nearest.height == 2 * 18 + 2)
    let walk = try DecodedImage.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: "\(folder)/walk.png")))).get()
    #expect(walk.width == 5 * 18 + 2 && walk.height == 18 + 2)
    let wrote = events.compactMap { event -> String? in
      if case .wrote(_, let what) = event { return what }
      return nil
    }
    #expect(wrote.count == 2 && wrote[0].contains("3 nearest of 40 training images"))
  }

  @Test("interpolate and nearest need a generator")
  func needsAGenerator() {
    #expect(throws: SessionError.self) { try run("interpolate 0 1 \"w.png\"", in: Interpreter()) }
    #expect(throws: SessionError.self) { try run("nearest 2 \"n.png\"", in: Interpreter()) }
  }
}
