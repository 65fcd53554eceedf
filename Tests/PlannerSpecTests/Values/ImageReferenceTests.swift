import PlannerSpec
import Testing

@Suite struct ImageReferenceTests {
    @Test func nameAndTag() {
        let image = ImageReference("nginx:1.27")
        #expect(image.name == "nginx")
        #expect(image.tag == "1.27")
        #expect(image.digest == nil)
    }

    @Test func registryPortIsNotATag() {
        let image = ImageReference("registry.example:5000/team/web")
        #expect(image.name == "registry.example:5000/team/web")
        #expect(image.tag == nil)
    }

    @Test func registryPortAndTag() {
        let image = ImageReference("registry.example:5000/web:2015.05.1")
        #expect(image.name == "registry.example:5000/web")
        #expect(image.tag == "2015.05.1")
    }

    @Test func digestWithoutTag() {
        let image = ImageReference("registry.example:5000/web@sha256:0123abcd")
        #expect(image.name == "registry.example:5000/web")
        #expect(image.tag == nil)
        #expect(image.digest == "sha256:0123abcd")
    }

    @Test func tagAndDigest() {
        let image = ImageReference("web:1.0@sha256:0123abcd")
        #expect(image.name == "web")
        #expect(image.tag == "1.0")
        #expect(image.digest == "sha256:0123abcd")
    }
}
