import Foundation
import Tensors
import TestSupport
import Testing

@testable import Session

/// The multi-scale SWD on sets whose order is known: the same faces at the floor, faces
/// against brighter (clipped) faces above it, against noise far above it, and rising with
/// the size of a perturbation. A small configuration (64 neighbourhoods, 2 × 32 directions)
/// keeps the debug build quick; `eval swd` uses the paper's.
@Suite("SWD scores")
struct SWDScoreTests {
  static let swd = MultiScaleSWD(perImage: 64, directions: 32, repeats: 2)

  /// 48 gray 32×32 built-in faces in 0..1.
  static let faces: Tensor = {
    let interpreter = Interpreter()
    _ = try? run("data faces count=48 size=32 channels=1 cache=false", in: interpreter)
    return Interpreter.images(48, of: interpreter.state.dataset!, seed: 1)
  }()

  static func score(_ a: Tensor, _ b: Tensor) -> Double {
    let d = swd.distances(a, b, seed: 7)!
    return d.reduce(0, +) / Double(d.count)
  }

  static func mapped(_ images: Tensor, seed: UInt64 = 3, _ f: (Float, Float) -> Float) -> Tensor {
    let noise = randomTensor(images.shape, seed: seed)
    let out = Tensor(zeros: images.shape)
    for i in 0..<images.count { out.pointer[i] = f(images[i], noise[i]) }
    return out
  }

  @Test("same faces: the floor; brighter faces: above it; noise: far above")
  func ordering() {
    let faces = Self.faces
    let floor = Self.score(faces, faces.copy())
    let brighter = Self.score(faces, Self.mapped(faces) { x, _ in min(x + 0.4, 1) })
    let noise = Self.score(faces, Self.mapped(faces) { _, n in n })
    // Measured: floor 28.7, brighter 58.8, noise 229.6.
    #expect(floor > 0, "random neighbourhoods differ, so the floor is above 0")
    #expect(brighter > 1.5 * floor, "floor \(floor), brighter \(brighter)")
    #expect(noise > 5 * floor && noise > 2 * brighter, "floor \(floor), brighter \(brighter), noise \(noise)")
  }

  @Test("rises with the size of added noise")
  func monotone() {
    let faces = Self.faces
    let scores = [0.0, 0.05, 0.25].map { sigma in
      Self.score(faces, Self.mapped(faces) { x, n in x + Float(sigma) * n })
    }
    #expect(zip(scores, scores.dropFirst()).allSatisfy { $0 < $1 }, "\(scores)")
  }

  @Test("the same sets and seed score the same; a stop between levels, or within one, gives nil")
  func repeatableAndStoppable() {
    let faces = Self.faces
    let other = Self.mapped(faces) { x, n in x + 0.1 * n }
    #expect(Self.swd.distances(faces, other, seed: 7) == Self.swd.distances(faces, other, seed: 7))
    #expect(Self.swd.distances(faces, other, seed: 7, shouldStop: { true }) == nil)
    // Ctrl-C while the first level's repeats run: the second poll says stop.
    var polls = 0
    let stopped = Self.swd.distances(
      faces, other, seed: 7, progress: { _, _ in Issue.record("a level finished after the stop") },
      shouldStop: {
        polls += 1
        return polls >= 2
      })
    #expect(stopped == nil && polls == 2)
  }
}
