// The --format flag's values.

import ArgumentParser

/// How a command prints its answer: for people (text) or for programs (JSON, stable key order).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
