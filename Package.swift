// swift-tools-version: 6.1
import PackageDescription

/// ganrepl: train and teach GANs on the CPU from a REPL or a `.gan` notebook.
///
/// System libraries (found with pkg-config): OpenBLAS for `sgemm`, readline for the
/// REPL, libpng and libjpeg for images. `.ci/run` installs their -dev packages.
let package = Package(
  name: "ganrepl",
  products: [
    .executable(name: "ganrepl", targets: ["ganrepl"]),
    .library(name: "Tensors", targets: ["Tensors"]),
    .library(name: "Layers", targets: ["Layers"]),
    .library(name: "Session", targets: ["Session"]),
  ],
  targets: [
    .systemLibrary(
      name: "CBLAS", path: "Sources/SystemLibraries/CBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CReadline", path: "Sources/SystemLibraries/CReadline", pkgConfig: "readline",
      providers: [.apt(["libreadline-dev"])]),
    .systemLibrary(
      name: "CPNG", path: "Sources/SystemLibraries/CPNG", pkgConfig: "libpng",
      providers: [.apt(["libpng-dev"])]),
    .systemLibrary(
      name: "CJPEG", path: "Sources/SystemLibraries/CJPEG", pkgConfig: "libjpeg",
      providers: [.apt(["libjpeg-dev"])]),
    // libjpeg reports errors by longjmp, which Swift cannot catch: a small C layer owns
    // decoding (and writing PNGs) and returns error codes and messages instead.
    .target(name: "CImageCodecs", dependencies: ["CPNG", "CJPEG"]),

    // cpuid and xgetbv for Tensors' CPUFeatures.
    .target(name: "CCPUID"),
    // ganrepl's own direct-convolution kernels, one source compiled per instruction set.
    // Always optimised: at -O0 the vector code is ~20× slower, and debug runs train on it.
    .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"])]),
    // Open MPI, loaded at run time only under mpirun: no link-time MPI dependency.
    .target(name: "CMPILoader"),
    .target(
      name: "Tensors", dependencies: ["CBLAS", "CCPUID", "CKernels"],
      exclude: ["README.md"],
      swiftSettings: [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]),
    .target(
      name: "Layers", dependencies: ["Tensors"], exclude: ["README.md"],
      swiftSettings: [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]),
    .target(
      name: "Session", dependencies: ["Layers", "Tensors", "CImageCodecs", "CMPILoader"],
      exclude: ["README.md"]
        + ["Language", "Running", "Data", "Images", "Archive", "Benchmarks", "Machine", "Parallel"].map {
          $0 + "/README.md"
        }),
    .executableTarget(name: "ganrepl", dependencies: ["Session", "CReadline"], exclude: ["README.md"]),
    // The fuzzers (scripts/fuzz-language, scripts/fuzz-session, scripts/fuzz-safetensors) and what they share: the
    // hand-over to libFuzzer, replaying saved inputs.
    .target(name: "FuzzDriver"),
    .executableTarget(name: "FuzzLanguage", dependencies: ["FuzzDriver", "Session", "Layers", "Tensors"]),
    .executableTarget(name: "FuzzSession", dependencies: ["FuzzDriver", "Session"]),
    .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzDriver", "Session"]),

    .target(
      name: "TestSupport", dependencies: ["Tensors", "Layers", "Session", "CImageCodecs", "HostileImages"],
      path: "Tests/TestSupport"),
    .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TestSupport"]),
    .testTarget(name: "LayersTests", dependencies: ["Layers", "TestSupport"]),
    // Image files the tests write at test time (nothing binary is committed), and the
    // writers only tests need: JPEG and every PNG kind.
    .target(
      name: "HostileImages", dependencies: ["CImageCodecs", "CPNG", "CJPEG"], path: "Tests/HostileImages",
      linkerSettings: [.linkedLibrary("z")]),
    .testTarget(name: "SessionTests", dependencies: ["Session", "TestSupport", "HostileImages"]),
    .testTarget(name: "ganreplTests", dependencies: ["ganrepl", "Session", "TestSupport"], exclude: ["Golden"]),
  ]
)
