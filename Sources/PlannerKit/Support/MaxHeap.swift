/// A binary max-heap: a `MinHeap` over the reversed order, O(log n) insert and pop.
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
