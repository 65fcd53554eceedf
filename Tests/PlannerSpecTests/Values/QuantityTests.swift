import PlannerSpec
import Testing

@Suite struct QuantityTests {
    @Test(arguments: [("500m", 500), ("2", 2000), ("0.5", 500), ("1.5", 1500), (" 4 ", 4000), ("250m", 250), ("0.001", 1)]
          as [(String, Int64)])
    func cpuInCoresOrMillicores(text: String, millicores: Int64) {
        #expect(Quantity.millicores(text) == .success(millicores))
    }

    @Test func cpuRejectsZeroNegativeFractionsOfAMillicoreAndWords() {
        #expect(Quantity.millicores("0") == .failure(.notPositive("0")))
        #expect(Quantity.millicores("0m") == .failure(.notPositive("0m")))
        #expect(Quantity.millicores("-1") == .failure(.notANumber("-1")))
        #expect(Quantity.millicores("0.0005") == .failure(.notWhole("0.0005", "millicore")))
        #expect(Quantity.millicores("1.5m") == .failure(.notWhole("1.5m", "millicore")))
        #expect(Quantity.millicores(".nan") == .failure(.notANumber(".nan")))
        #expect(Quantity.millicores("2 cores") == .failure(.notANumber("2 cores")))
        #expect(Quantity.millicores("99999999999999999") == .failure(.tooLarge("99999999999999999")))
    }

    @Test
    func cpuWithManyTrailingZerosIsExact() {
        #expect(Quantity.millicores("1.0000000000000000000") == .success(1000))
    }

    @Test(arguments: [
        ("16GiB", 16 << 30), ("2G", 2 * 1024 * 1024 * 1024), ("512MB", 512 * 1_000_000), ("512MiB", 512 << 20),
        ("1.5GiB", 3 << 29), ("100", 100), ("100B", 100), ("1k", 1024), ("1kB", 1000), ("2 GiB", 2 << 30), ("1TB", 1_000_000_000_000),
    ] as [(String, Int64)])
    func memoryInBinaryAndDecimalUnits(text: String, bytes: Int64) {
        #expect(Quantity.bytes(text) == .success(bytes))
    }

    @Test func memoryRejectsOverflowNegativeZeroAndUnknownUnits() {
        #expect(throws: QuantityError.self) { try Quantity.bytes("1e400GiB").get() }
        #expect(Quantity.bytes("-1") == .failure(.notANumber("-1")))
        #expect(Quantity.bytes("-1").failureDescription?.contains("negative") == true)
        #expect(Quantity.bytes("0") == .failure(.notPositive("0")))
        #expect(Quantity.bytes("0GiB") == .failure(.notPositive("0GiB")))
        #expect(Quantity.bytes("16Gb") == .failure(.unknownUnit("Gb", "16Gb")))
        #expect(Quantity.bytes("9999999TiB") == .failure(.tooLarge("9999999TiB")))
        #expect(Quantity.bytes("0.5") == .failure(.notWhole("0.5", "byte")))
        #expect(Quantity.bytes("GiB") == .failure(.notANumber("GiB")))
    }

    @Test func formattingReadsLikeASpec() {
        #expect(Quantity.formatBytes(16 << 30) == "16GiB")
        #expect(Quantity.formatBytes(3 << 29) == "1.5GiB")
        #expect(Quantity.formatBytes(512) == "512B")
        #expect(Quantity.formatCores(500) == "0.5")
        #expect(Quantity.formatCores(2000) == "2")
        #expect(Quantity.formatCores(1250) == "1.25")
    }
}

extension Result where Failure == QuantityError {
    var failureDescription: String? {
        if case .failure(let error) = self { return error.description }
        return nil
    }
}
