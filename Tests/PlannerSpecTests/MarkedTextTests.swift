import PlannerTestSupport
import Testing

@Suite struct MarkedTextTests {
    @Test func markersAreRemovedAndPositionsRecorded() {
        let marked = MarkedText("a: 1️⃣b\n  2️⃣c: 3\n")
        #expect(marked.text == "a: b\n  c: 3\n")
        #expect(marked["1️⃣"] == Position(1, 4))
        #expect(marked["2️⃣"] == Position(2, 3))
    }

    @Test func columnsCountUnicodeScalarsNotCharacters() {
        // "👍🏽" is one Character but two Unicode scalars; "é" written as e + U+0301 is two scalars too.
        let marked = MarkedText("x: [👍🏽, e\u{301}, 1️⃣y]")
        #expect(marked["1️⃣"] == Position(1, 13))
    }

    @Test func digitsBeforeAMarkerStayInTheText() {
        let marked = MarkedText("replicas: 31️⃣2")
        #expect(marked.text == "replicas: 32")
        #expect(marked["1️⃣"] == Position(1, 12))
    }

    @Test func tenthMarker() {
        let marked = MarkedText("🔟a")
        #expect(marked.text == "a")
        #expect(marked["🔟"] == Position(1, 1))
    }
}
