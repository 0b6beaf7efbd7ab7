/// The folder `path` is in: what comes before its last slash, without trailing slashes;
/// "" for a bare name, "/" for a name in the root.
///
/// Not `NSString.deletingLastPathComponent`: in swift-corelibs-foundation 6.3 it traps on a
/// one-character Swift string built from characters (`save "a"` crashed ganrepl).
func parentFolder(of path: String) -> String {
  guard let slash = path.lastIndex(of: "/") else { return "" }
  var head = path[..<slash]
  while head.hasSuffix("/") { head.removeLast() }
  return head.isEmpty ? "/" : String(head)
}

/// `path` without trailing slashes ("/" stays "/"): the same folder as typed with them.
func withoutTrailingSlashes(_ path: String) -> String {
  var path = path
  while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
  return path
}
