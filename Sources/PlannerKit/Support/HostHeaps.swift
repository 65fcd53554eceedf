/// The small containers of the heuristic: heaps of hosts by a value, and sets of host indices.

/// A host and the value it is ordered by; ties go to the lower host index, for determinism.
struct HostKey: Comparable {
    var value: Double
    var host: Int
    static func < (a: HostKey, b: HostKey) -> Bool { a.value != b.value ? a.value < b.value : a.host < b.host }
}

/// A binary min-heap (Williams, 1964): O(log n) insert and pop.
struct MinHeap<Element: Comparable> {
    private var items: [Element] = []

    var isEmpty: Bool { items.isEmpty }
    func peek() -> Element? { items.first }

    mutating func insert(_ element: Element) {
        items.append(element)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, items[left] < items[smallest] { smallest = left }
            if right < items.count, items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}

/// A max-heap over the same ordering.
struct MaxHeap<Element: Comparable> {
    private struct Reversed: Comparable {
        var element: Element
        static func < (a: Reversed, b: Reversed) -> Bool { b.element < a.element }
    }
    private var heap = MinHeap<Reversed>()
    mutating func insert(_ element: Element) { heap.insert(Reversed(element: element)) }
    mutating func popMax() -> Element? { heap.popMin()?.element }
    func peekMax() -> Element? { heap.peek()?.element }
}

/// A fixed set of host indices as bits: membership in O(1) without hashing.
struct HostSet {
    private var words: [UInt64]

    init(_ members: [Int], capacity: Int) {
        words = Array(repeating: 0, count: (capacity + 63) / 64)
        for member in members { words[member >> 6] |= 1 << UInt64(member & 63) }
    }

    func contains(_ member: Int) -> Bool { words[member >> 6] & (1 << UInt64(member & 63)) != 0 }

    mutating func insert(_ member: Int) { words[member >> 6] |= 1 << UInt64(member & 63) }
    mutating func remove(_ member: Int) { words[member >> 6] &= ~(1 << UInt64(member & 63)) }
}
