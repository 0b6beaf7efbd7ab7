import Foundation

extension ForcePlot {
  /// The drawn legend's words as text (`PictureLegend`), for terminals that draw the plot
  /// in characters: the step and the heat map's scale, then what the dots and arrows are.
  var legend: PictureLegend {
    PictureLegend(
      rows: Self.legendHeight,
      lines: [
        "step \(step)   background: D's verdict, purple = fake, white = 0.5, green = real",
        String(
          format: "dots: real (grey), fake (red)   arrows: G's push on the fakes (longest %.3g)", Double(longestPush)),
      ])
  }
}
