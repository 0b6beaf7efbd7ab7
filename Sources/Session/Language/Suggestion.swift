/// "Did you mean …?": the closest candidate by edit distance, if it is close enough to be
/// a plausible typo (at most a third of the word, and at least one edit allowed).
func closest(to word: String, among candidates: [String]) -> String? {
  // Longer than any name: not a typo of one (and a 2 MB token is not compared).
  guard word.count <= 64 else { return nil }
  let lowered = word.lowercased()
  var best: (String, Int)?
  for candidate in candidates {
    if candidate.hasPrefix(lowered) && lowered.count >= 3 { return candidate }
    let d = editDistance(lowered, candidate)
    if d <= max(1, lowered.count / 3), d < (best?.1 ?? .max) { best = (candidate, d) }
  }
  return best?.0
}

/// Levenshtein distance, with transpositions counting once (Damerau, optimal string alignment).
func editDistance(_ a: String, _ b: String) -> Int {
  let x = Array(a)
  let y = Array(b)
  if x.isEmpty { return y.count }
  if y.isEmpty { return x.count }
  var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
  for i in 0...x.count { d[i][0] = i }
  for j in 0...y.count { d[0][j] = j }
  for i in 1...x.count {
    for j in 1...y.count {
      let cost = x[i - 1] == y[j - 1] ? 0 : 1
      d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
        d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
      }
    }
  }
  return d[x.count][y.count]
}
