package io.virtflux.libvirt.xml;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;

/**
 * XML read from libvirt (or anything posing as it) cannot make the service read local files or
 * expand entities: the DOCTYPE is not processed, so an entity it declares is undeclared where it is
 * used, and the document is refused.
 */
class XmlCodecEntitiesTest {

  private final XmlCodec codec = new XmlCodec();

  @Test
  void externalEntityIsRefusedNotResolved(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "TOP-SECRET");
    String xml =
        "<!DOCTYPE domain [<!ENTITY leak SYSTEM '"
            + secret.toUri()
            + "'>]><domain type='qemu'><name>&leak;</name></domain>";

    assertThatThrownBy(() -> codec.read(xml, DomainXml.class))
        .isInstanceOf(JacksonException.class)
        .hasMessageContaining("Undeclared general entity \"leak\"")
        .hasMessageNotContaining("TOP-SECRET");
  }

  @Test
  void internalEntitiesAreNotExpanded() {
    String xml =
        "<!DOCTYPE domain [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]>"
            + "<domain type='qemu'><name>&b;</name></domain>";

    assertThatThrownBy(() -> codec.read(xml, DomainXml.class))
        .isInstanceOf(JacksonException.class)
        .hasMessageContaining("Undeclared general entity \"b\"");
  }
}
