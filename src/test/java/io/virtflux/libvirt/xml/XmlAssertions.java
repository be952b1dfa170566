package io.virtflux.libvirt.xml;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.xmlunit.builder.DiffBuilder;
import org.xmlunit.builder.Input;
import org.xmlunit.diff.DefaultNodeMatcher;
import org.xmlunit.diff.Diff;
import org.xmlunit.diff.ElementSelectors;

/** Golden-file helpers shared by the XML tests. */
public final class XmlAssertions {

  private XmlAssertions() {}

  /** The text of a test resource, e.g. {@code xml/domain-live-tcg.xml}. */
  public static String resource(String path) {
    try (InputStream in = XmlAssertions.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * Fails unless {@code actual} is similar to {@code expected}: same elements, attributes and text;
   * whitespace, comments, attribute quoting and namespace prefixes do not count.
   */
  public static void assertSimilarXml(String actual, String expected) {
    Diff diff =
        DiffBuilder.compare(Input.fromString(expected))
            .withTest(Input.fromString(actual))
            .ignoreComments()
            .ignoreWhitespace()
            .withNodeMatcher(
                new DefaultNodeMatcher(
                    ElementSelectors.byNameAndAllAttributes, ElementSelectors.byName))
            .checkForSimilar()
            .build();
    if (diff.hasDifferences()) {
      fail("XML differs from the golden file:%n%s%n--- actual ---%n%s", diff, actual);
    }
  }
}
