package io.virtflux.vm.template;

import static io.virtflux.libvirt.xml.XmlAssertions.assertSimilarXml;
import static io.virtflux.libvirt.xml.XmlAssertions.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.libvirt.xml.DomainXml;
import io.virtflux.libvirt.xml.XmlCodec;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Template in, domain XML out: compared with golden files under xml/builder/. */
class DomainBuilderGoldenTest {

  private final XmlCodec codec = new XmlCodec();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"full", "minimal", "lab-guest"})
  void buildsTheGoldenDomain(String name) {
    DomainBuilder builder =
        new DomainBuilder(Fixtures.defaults(), Fixtures.validator(), new Random(42));
    VmTemplate template = Fixtures.templateResource("xml/builder/" + name + ".json");

    DomainXml domain = builder.build(template, Fixtures.HOST, CallerRole.USER);
    String xml = codec.write(domain);

    assertSimilarXml(xml, resource("xml/builder/" + name + ".xml"));
    // what we write, libvirt's dumpxml-style reader reads back
    assertThat(codec.read(xml, DomainXml.class).name()).isEqualTo(template.name());
  }
}
