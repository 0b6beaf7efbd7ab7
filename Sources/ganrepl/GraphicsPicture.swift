import Foundation

/// A PNG as the escape sequences of the terminals that draw images: kitty's graphics
/// protocol and iTerm2's inline images (which WezTerm speaks too). Both scale the image
/// to `columns` × `rows` cells and leave the cursor after its last row.
enum GraphicsPicture {
  /// kitty: transmit and display (a=T) a PNG (f=100) sent directly (t=d) in base64 chunks
  /// of 4096 bytes (m=1 while more follow), with no reply (q=2: a reply would arrive as
  /// typed input). `id` names the image, so a flip-book can delete the previous frame.
  static func kitty(png: [UInt8], columns: Int, rows: Int, id: Int) -> String {
    let payload = Array(Data(png).base64EncodedString().utf8)
    var out = ""
    var start = 0
    repeat {
      let end = min(start + 4096, payload.count)
      let more = end < payload.count ? 1 : 0
      let keys = start == 0 ? "a=T,f=100,t=d,i=\(id),c=\(columns),r=\(rows),q=2,m=\(more)" : "m=\(more)"
      out += "\u{1B}_G\(keys);" + String(decoding: payload[start..<end], as: UTF8.self) + "\u{1B}\\"
      start = end
    } while start < payload.count
    return out
  }

  /// kitty: delete image `id` and its placements, freeing its data (d=I).
  static func kittyDelete(id: Int) -> String {
    "\u{1B}_Ga=d,d=I,i=\(id),q=2\u{1B}\\"
  }

  /// iTerm2 (OSC 1337 File): an inline image `columns` × `rows` cells, its aspect kept.
  static func iterm(png: [UInt8], columns: Int, rows: Int) -> String {
    "\u{1B}]1337;File=inline=1;size=\(png.count);width=\(columns);height=\(rows);preserveAspectRatio=1:"
      + Data(png).base64EncodedString() + "\u{07}"
  }
}
