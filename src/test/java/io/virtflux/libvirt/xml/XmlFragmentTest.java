package io.virtflux.libvirt.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import javax.xml.namespace.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XmlFragmentTest {

  static final String QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0";

  @Test
  void parsesSiblingElementsWithoutARoot() {
    List<XmlElement> raw =
        XmlFragment.parse(
            """
            <devices><serial type="pty"><target port="0"/></serial></devices>
            <!-- a comment --><?pi ignored?>
            <features><acpi/></features>""");

    assertThat(raw).extracting(XmlElement::localName).containsExactly("devices", "features");
    XmlElement serial = raw.get(0).children().get(0);
    assertThat(serial.attributes()).containsEntry(new QName("type"), "pty");
    assertThat(serial.children().get(0).attributes()).containsEntry(new QName("port"), "0");
    assertThat(raw.get(1).children().get(0).text()).isNull();
  }

  @Test
  void keepsNamespacesAndLeafText() {
    List<XmlElement> raw =
        XmlFragment.parse(
            "<q:commandline xmlns:q='"
                + QEMU_NS
                + "'><q:arg value='-S'/></q:commandline><description>a &lt; b</description>");

    assertThat(raw.get(0).name()).isEqualTo(new QName(QEMU_NS, "commandline"));
    assertThat(raw.get(0).isNamespaced()).isTrue();
    assertThat(raw.get(0).children().get(0).attributes()).containsEntry(new QName("value"), "-S");
    assertThat(raw.get(1).text()).isEqualTo("a < b");
  }

  @Test
  void emptyOrBlankDataIsNoElements() {
    assertThat(XmlFragment.parse("")).isEmpty();
    assertThat(XmlFragment.parse("  \n ")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<devices>",
        "<a></b>",
        "<a x='1' x='2'/>",
        "hello <a/>",
        "<a>text<b/></a>",
        "<!DOCTYPE a [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><a>&e;</a>",
        "<a>&undeclared;</a>",
        "<q:a/>",
        // errors Woodstox finds only when the text is read (lazily): they were a 500
        "<a>x &-y</a>",
        "<a><?:pi?>text</a>"
      })
  void refusesWhatIsNotAWellFormedElementFragment(String data) {
    assertThatThrownBy(() -> XmlFragment.parse(data)).isInstanceOf(XmlFragmentException.class);
  }

  @Test
  void writesRawElementsThroughTheCodecWithPrefixesAndEscaping() {
    List<XmlElement> raw =
        XmlFragment.parse(
            "<qemu:commandline xmlns:qemu='"
                + QEMU_NS
                + "'><qemu:arg value='a&quot;&lt;&amp;'/></qemu:commandline>"
                + "<description>x &lt;/description&gt;&lt;evil/&gt;</description>");
    DomainXml d =
        new DomainXml(
                "qemu", null, "r", null, null, null, null, null, null, null, null, null, null, null,
                null, null, List.of())
            .withExtra(raw);

    String xml = new XmlCodec().write(d);

    assertThat(xml)
        .contains("<qemu:commandline xmlns:qemu=\"" + QEMU_NS + "\">")
        .contains("<qemu:arg value=\"a&quot;&lt;&amp;\"/>")
        .contains("&lt;evil/>")
        .doesNotContain("<evil");
  }
}
