// Writing to stderr, where messages about a run go (stdout carries its answer).

import Foundation

enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
