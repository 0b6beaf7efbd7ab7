import Tensors
import Testing

@Suite("Seeded generator")
struct SeededGeneratorTests {
  @Test("the same seed gives the same numbers; a restored state continues the sequence")
  func reproducible() {
    var a = SeededGenerator(seed: 42)
    var b = SeededGenerator(seed: 42)
    let first = (0..<5).map { _ in a.next() }
    #expect(first == (0..<5).map { _ in b.next() })
    var restored = SeededGenerator(state: a.state)!
    #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in restored.next() })
    #expect(SeededGenerator(seed: 43).state != SeededGenerator(seed: 42).state)
  }

  @Test("normal samples have mean ≈ 0 and std ≈ 1")
  func normalMoments() {
    let t = Tensor.randomNormal(Shape(100_001), using: RandomSource(seed: 7))
    let mean = t.mean()
    let variance = t.dot(t) / Double(t.count) - mean * mean
    #expect(abs(mean) < 0.01)
    #expect(abs(variance - 1) < 0.02)
  }

  @Test("a permutation holds every index once")
  func permutation() {
    let p = RandomSource(seed: 3).permutation(1000)
    #expect(p.sorted() == Array(0..<1000))
    #expect(p != Array(0..<1000))
  }

  @Test("an all-zero state is refused")
  func zeroState() {
    #expect(SeededGenerator(state: [0, 0, 0, 0]) == nil)
  }
}
