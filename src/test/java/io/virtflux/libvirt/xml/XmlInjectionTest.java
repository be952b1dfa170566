package io.virtflux.libvirt.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/**
 * Even hostile strings that got past validation cannot change the structure of what we write:
 * Jackson escapes every text and attribute value.
 */
class XmlInjectionTest {

  private static final String EVIL = "a'/><evil/><name>b";

  @Test
  void hostileValuesStayTextAndAttributeValues() throws Exception {
    DiskXml disk =
        new DiskXml(
            "file",
            "disk",
            null,
            DiskXml.Source.file("/ds/" + EVIL),
            new DiskXml.Target("vda", "virtio"),
            null,
            null,
            null,
            null,
            null);
    DomainXml d =
        new DomainXml(
            "qemu",
            null,
            EVIL,
            null,
            MemoryXml.mib(64),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            DevicesXml.empty(),
            List.of());
    d =
        d.withDevices(
            new DevicesXml(
                null, List.of(disk), null, null, null, null, null, null, null, null, null, null));

    XmlCodec codec = new XmlCodec();
    String xml = codec.write(d);
    Document dom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new InputSource(new StringReader(xml)));

    assertThat(dom.getElementsByTagName("evil").getLength()).isZero();
    assertThat(dom.getElementsByTagName("name").getLength()).isEqualTo(1);
    assertThat(dom.getElementsByTagName("name").item(0).getTextContent()).isEqualTo(EVIL);
    DomainXml back = codec.read(xml, DomainXml.class);
    assertThat(back.name()).isEqualTo(EVIL);
    assertThat(back.devicesOrEmpty().disks().get(0).source().file()).isEqualTo("/ds/" + EVIL);
  }

  @Test
  void readingNeverResolvesExternalEntities() {
    String xxe =
        "<!DOCTYPE domain [<!ENTITY e SYSTEM 'file:///etc/hostname'>]>"
            + "<domain type='qemu'><name>&e;</name></domain>";
    assertThatThrownBy(() -> new XmlCodec().read(xxe, DomainXml.class))
        .isInstanceOf(tools.jackson.core.JacksonException.class)
        .hasMessageContaining("Undeclared general entity");
  }
}
