import TestSupport
import Testing

@testable import Tensors

/// The columns method's backward input block by block (`ColumnBlocks`): blocks cover every
/// row once, in order, never two images in a block unless whole; the result has the same
/// bits on any number of threads and with a poisoned workspace. (`ConvTests` holds it to
/// the reference over the whole grid, with roomy and tiny workspaces.)
@Suite("Column blocks of the backward input")
struct ColumnBlocksTests {
  static let dcgan = try! ConvGeometry(
    inputHeight: 16, inputWidth: 16, inputChannels: 32, outputChannels: 48, kernel: (4, 4), stride: (2, 2),
    padding: .explicit(1))

  @Test(
    "blocks cover the rows once, in order: whole images (at most an eighth of the batch) when they fit, else runs of one image's rows"
  )
  func cover() {
    let g = Self.dcgan  // 64 positions × 512 floats per image
    for (floats, images, imagesPerGroup, rowsPerBlock) in [
      (1 << 20, 40, 5, 320), (3 * 64 * 512, 40, 3, 192), (1 << 20, 7, 1, 64), (64 * 512, 40, 1, 64),
      (20 * 512, 2, 1, 20), (100, 2, 1, 1),
    ] {
      let blocks = ColumnBlocks(g, images: images, floats: floats)
      #expect(blocks.imagesPerGroup == imagesPerGroup && blocks.rowsPerBlock == rowsPerBlock, "\(floats) \(images)")
      var next = 0
      for group in 0..<blocks.groups {
        blocks.forEachBlock(ofGroup: group) { rows in
          #expect(rows.lowerBound == next && rows.count <= blocks.rowsPerBlock)
          if blocks.imagesPerGroup == 1 {
            #expect(rows.lowerBound / 64 == (rows.upperBound - 1) / 64, "\(rows) spans two images")
          }
          next = rows.upperBound
        }
      }
      #expect(next == images * 64)
    }
  }

  /// gradInput of the columns method on `threads` threads, accumulated onto ones.
  static func backwardInput(_ g: ConvGeometry, batch: Int, threads: Int, workspace: Workspace) -> ([Float], Int) {
    let dy = randomTensor(Shape(batch, g.outputHeight, g.outputWidth, g.outputChannels), seed: 3)
    let w = randomTensor(Shape(g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels), seed: 4)
    let dx = Tensor(shape: Shape(batch, g.inputHeight, g.inputWidth, g.inputChannels), repeating: 1)
    let probe = ParallelProbe(threads: threads)
    ParallelProbe.$current.withValue(probe) {
      convBackwardInput(gradOutput: dy, weight: w, geometry: g, gradInput: dx, workspace: workspace, method: .columns)
    }
    return (dx.values, probe.largestSplit)
  }

  @Test("the same bits on 1, 2 and 3 threads, in blocks of part of an image, of 2 images or of 3; and it accumulates")
  func threadCounts() {
    let small = try! ConvGeometry(
      inputHeight: 8, inputWidth: 8, inputChannels: 16, outputChannels: 24, kernel: (4, 4), stride: (2, 2),
      padding: .explicit(1))  // 16 positions × 256 floats per image
    let deconv3 = try! ConvGeometry(
      inputHeight: 9, inputWidth: 7, inputChannels: 3, outputChannels: 8, kernel: (4, 4), stride: (2, 2),
      padding: .explicit(1))  // 16 positions × 48 floats per image
    for g in [small, deconv3] {
      let imageFloats = g.positionsPerImage * g.patchSize
      let workspaces = [
        Workspace(chunkFloats: 4000), Workspace(chunkFloats: 16 * imageFloats), Workspace(poisoned: true),
      ]
      for (workspace, images) in zip(workspaces, [1, 2, 3]) {
        let blocks = ColumnBlocks(g, images: 20, floats: ColumnBlocks.floats(for: workspace))
        #expect(blocks.imagesPerGroup == images, "\(g), chunk \(workspace.chunkFloats)")
        let buffers = workspace.chunkFloats / (blocks.rowsPerBlock * g.patchSize)
        let (one, _) = Self.backwardInput(g, batch: 20, threads: 1, workspace: workspace)
        for threads in [2, 3] {
          let (other, split) = Self.backwardInput(g, batch: 20, threads: threads, workspace: workspace)
          #expect(
            split == min(threads, blocks.groups, buffers),
            "\(threads) threads, \(blocks.groups) groups, room for \(buffers) buffers: split \(split) ways")
          #expect(other == one, "\(g), \(threads) threads: gradInput differs from 1 thread's")
        }
        let dy = randomTensor(Shape(20, g.outputHeight, g.outputWidth, g.outputChannels), seed: 3)
        let w = randomTensor(Shape(g.kernelHeight, g.kernelWidth, g.inputChannels, g.outputChannels), seed: 4)
        let expected = ConvReference.backwardInput(gradOutput: dy, kernel: w, geometry: g)
        expected.add(Tensor(shape: expected.shape, repeating: 1))
        let result = compare(Tensor(shape: expected.shape, values: one), expected, tolerance: 1e-4)
        #expect(result.passes, "\(g): \(result)")
      }
    }
  }
}
