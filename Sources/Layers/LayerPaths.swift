import Tensors

/// How a layer computes its three passes, and why (`ComputePath`): forward, backward to
/// the input, backward to the parameters. What `bench` and `show generator` print per layer.
public struct LayerPaths: Hashable, Sendable {
  public var forward: ComputePath
  public var backwardInput: ComputePath
  public var backwardParameters: ComputePath

  public init(forward: ComputePath, backwardInput: ComputePath, backwardParameters: ComputePath) {
    self.forward = forward
    self.backwardInput = backwardInput
    self.backwardParameters = backwardParameters
  }

  /// The three passes in the order of `bench`'s columns.
  public var passes: [ComputePath] { [forward, backwardInput, backwardParameters] }
}

/// A layer whose passes run a method chosen by its sizes: dense, conv and deconv.
protocol PathReporting {
  var paths: LayerPaths { get }
}

extension Layer {
  /// How this layer computes each pass; nil for layers that only work element by element
  /// (activations, BatchNorm, reshapes). `sn` reports the layer it wraps.
  public var computePaths: LayerPaths? {
    if let normalized = self as? SpectralNorm { return normalized.inner.computePaths }
    return (self as? PathReporting)?.paths
  }
}

extension Conv2D: PathReporting {
  var paths: LayerPaths {
    LayerPaths(
      forward: geometry.path(of: .forward), backwardInput: geometry.path(of: .backwardInput),
      backwardParameters: geometry.path(of: .backwardWeight))
  }
}

extension Conv2DTranspose: PathReporting {
  /// The adjoint's passes swapped: the forward runs the convolution's backward input, the
  /// backward input its forward (`geometry` is the convolution's).
  var paths: LayerPaths {
    LayerPaths(
      forward: geometry.path(of: .backwardInput), backwardInput: geometry.path(of: .forward),
      backwardParameters: geometry.path(of: .backwardWeight))
  }
}

extension Dense: PathReporting {
  var paths: LayerPaths {
    LayerPaths(forward: .denseGEMM, backwardInput: .denseGEMM, backwardParameters: .denseGEMM)
  }
}
