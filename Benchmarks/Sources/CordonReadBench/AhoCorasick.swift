/// A plain Aho–Corasick automaton over bytes: the reference a reader of names is measured beside. It
/// finds every listed name exactly as written, nothing more (no other script, no inflection, no typo).
struct AhoCorasick {
    private var byte: [UInt8] = [0]
    private var firstChild: [Int32] = [-1]
    private var nextSibling: [Int32] = [-1]
    private var fail: [Int32] = [0]
    private var output: [Int32] = [0]
    private var rootChild = [Int32](repeating: 0, count: 256)

    /// States in the automaton.
    var states: Int { byte.count }

    init(patterns: some Sequence<[UInt8]>) {
        for pattern in patterns where !pattern.isEmpty { insert(pattern) }
        build()
    }

    private func child(_ node: Int32, _ value: UInt8) -> Int32? {
        if node == 0 {
            let c = rootChild[Int(value)]
            return c > 0 ? c : nil
        }
        var c = firstChild[Int(node)]
        while c >= 0 {
            if byte[Int(c)] == value { return c }
            c = nextSibling[Int(c)]
        }
        return nil
    }

    private mutating func insert(_ pattern: [UInt8]) {
        var node: Int32 = 0
        for value in pattern {
            if let c = child(node, value) {
                node = c
                continue
            }
            let new = Int32(byte.count)
            byte.append(value)
            firstChild.append(-1)
            nextSibling.append(firstChild[Int(node)])
            fail.append(0)
            output.append(0)
            firstChild[Int(node)] = new
            if node == 0 { rootChild[Int(value)] = new }
            node = new
        }
        output[Int(node)] += 1
    }

    private mutating func build() {
        var queue: [Int32] = []
        var c = firstChild[0]
        while c >= 0 {
            fail[Int(c)] = 0
            queue.append(c)
            c = nextSibling[Int(c)]
        }
        var head = 0
        while head < queue.count {
            let u = queue[head]
            head += 1
            var v = firstChild[Int(u)]
            while v >= 0 {
                let value = byte[Int(v)]
                var f = fail[Int(u)]
                while f != 0 && child(f, value) == nil { f = fail[Int(f)] }
                let target = child(f, value) ?? 0
                fail[Int(v)] = target == v ? 0 : target
                output[Int(v)] += output[Int(fail[Int(v)])]
                queue.append(v)
                v = nextSibling[Int(v)]
            }
        }
    }

    /// How many times the patterns occur in `text` (overlaps counted).
    func count(in text: [UInt8]) -> Int {
        var node: Int32 = 0
        var found = 0
        for value in text {
            while true {
                if let c = child(node, value) {
                    node = c
                    break
                }
                if node == 0 { break }
                node = fail[Int(node)]
            }
            found += Int(output[Int(node)])
        }
        return found
    }
}
