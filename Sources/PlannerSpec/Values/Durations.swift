/// Durations: a whole number and a unit, `500ms`, `2s`, `1m`, `1h`; stored as milliseconds.
public enum Durations {
    public static func parse(_ text: String) -> Int? {
        let units: [(String, Int)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            let digits = text.dropLast(unit.count)
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(digits), value > 0 else { return nil }
            let ms = value * factor
            return ms <= 86_400_000 ? ms : nil
        }
        return nil
    }

    /// nginx's `fail_timeout` reads whole seconds only (`500ms` fails `nginx -t`): rounded up, so a failed
    /// backend is never left out for less than asked. `check` warns (`rounded-duration`) when this rounds.
    public static func renderWholeSeconds(_ milliseconds: Int) -> String {
        "\((milliseconds + 999) / 1000)s"
    }

    /// `2s` when whole seconds, else `500ms`: a form Compose and HAProxy read.
    public static func render(_ milliseconds: Int) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
