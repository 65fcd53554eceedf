/// Specs written to temporary files by the CLI tests.
enum Specs {
    /// Well formed and placeable: two replicas on three hosts.
    static func placeable(image: String = "registry.example/web:1.0") -> String {
        """
        topology: small
        hosts:
          h1: {cpu: 4, memory: 8GiB}
          h2: {cpu: 4, memory: 8GiB}
          h3: {cpu: 4, memory: 8GiB}
        purposes:
          web:
            image: \(image)
            replicas: 2
            cpu: 1
            memory: 1GiB

        """
    }

    /// Malformed: an unknown key and a bad unit.
    static let malformed = """
        topology: small
        hosts:
          h1: {cpu: 4, memory: 8Gb}
        purposes:
          web:
            image: registry.example/web:1.0
            replica: 2
            cpu: 1
            memory: 1GiB

        """

    /// Well formed, but one replica cannot survive the default one host failure.
    static let cannotSurvive = """
        topology: small
        hosts:
          h1: {cpu: 4, memory: 8GiB}
          h2: {cpu: 4, memory: 8GiB}
        purposes:
          web:
            image: registry.example/web:1.0
            replicas: 1
            cpu: 1
            memory: 1GiB

        """

    /// Well formed, but a majority of three cannot survive losing one of only two zones.
    static let twoZones = """
        topology: small
        hosts:
          n1: {cpu: 4, memory: 8GiB, zone: north}
          n2: {cpu: 4, memory: 8GiB, zone: north}
          s1: {cpu: 4, memory: 8GiB, zone: south}
          s2: {cpu: 4, memory: 8GiB, zone: south}
        purposes:
          quorum:
            image: registry.example/etcd:3.5
            replicas: 3
            min_available: majority
            cpu: 1
            memory: 1GiB
            survive: {hosts: 1, zones: 1}

        """
}
