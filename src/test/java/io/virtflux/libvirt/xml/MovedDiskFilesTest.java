package io.virtflux.libvirt.xml;

import static io.virtflux.libvirt.xml.XmlAssertions.assertSimilarXml;
import static io.virtflux.libvirt.xml.XmlAssertions.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A migration's destination XML: only the moved disks' sources change, nothing is dropped. */
class MovedDiskFilesTest {

  private final XmlCodec codec = new XmlCodec();

  @Test
  void movesOnlyTheNamedDisksAndKeepsWhatTheModelDoesNotKnow() {
    // two serial ports apart and a watchdog from RAW: the typed model reads back neither
    String domain = resource("xml/builder/full.xml");
    String moved =
        codec.write(
            MovedDiskFiles.in(
                XmlFragment.document(domain), Map.of("vda", "/srv/dest/web-1-root.qcow2")));

    assertSimilarXml(
        moved,
        domain.replace(
            "/var/lib/virtflux/datastores/0/web-1-root.qcow2", "/srv/dest/web-1-root.qcow2"));
    assertThat(moved).contains("<watchdog", "/var/lib/virtflux/datastores/0/seed.iso");
  }

  @Test
  void aBlockDiskBecomesAFileDiskWithTheNewPathBeforeItsTarget() {
    String domain =
        "<domain type='qemu'><name>v</name><devices>"
            + "<disk type='block' device='disk'><driver name='qemu' type='raw'/>"
            + "<source dev='/dev/vg/v'/><target dev='vdb' bus='virtio'/><alias name='virtio-disk1'/>"
            + "</disk></devices></domain>";

    String moved =
        codec.write(
            MovedDiskFiles.in(XmlFragment.document(domain), Map.of("vdb", "/srv/v-vdb.raw")));

    assertSimilarXml(
        moved,
        "<domain type='qemu'><name>v</name><devices>"
            + "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
            + "<source file='/srv/v-vdb.raw'/><target dev='vdb' bus='virtio'/>"
            + "<alias name='virtio-disk1'/></disk></devices></domain>");
  }

  @Test
  void aPathWithXmlMetacharactersStaysAnAttributeValue() {
    String domain =
        "<domain><devices><disk type='file'><source file='/a'/><target dev='vda'/></disk>"
            + "</devices></domain>";

    String moved =
        codec.write(
            MovedDiskFiles.in(XmlFragment.document(domain), Map.of("vda", "/srv/a'/><evil/>&x")));

    XmlElement disk =
        MovedDiskFiles.in(XmlFragment.document(moved), Map.of())
            .children()
            .get(0)
            .children()
            .get(0);
    assertThat(disk.children().get(0).attributes().values()).containsExactly("/srv/a'/><evil/>&x");
    assertThat(moved).doesNotContain("<evil");
  }

  @Test
  void listsTheDiskTargetsAsTheTypedModelReadsThem() {
    String domain = resource("xml/builder/full.xml");

    assertThat(MovedDiskFiles.diskTargets(XmlFragment.document(domain)))
        .containsExactly("vda", "sda")
        .isEqualTo(codec.read(domain, DomainXml.class).devicesOrEmpty().diskTargets());
  }

  @Test
  void aDocumentHasOneRoot() {
    assertThatThrownBy(() -> XmlFragment.document("<domain/><domain/>"))
        .isInstanceOf(XmlFragmentException.class)
        .hasMessageContaining("2 top-level elements");
    assertThatThrownBy(() -> MovedDiskFiles.in(XmlFragment.document("<network/>"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
