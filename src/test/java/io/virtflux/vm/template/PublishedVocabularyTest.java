package io.virtflux.vm.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The checked-in contract (which OpenApiContractTest keeps equal to what the service serves)
 * publishes exactly the values the template validator accepts, and name patterns that a generated
 * client applies as the service does: anchored, since OpenAPI patterns match anywhere otherwise.
 */
class PublishedVocabularyTest {

  private static Map<String, Map<String, Object>> schemas;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void readContract() throws IOException {
    try (Reader in = Files.newBufferedReader(Path.of("openapi/virtflux.yaml"))) {
      Map<String, Object> doc = new Yaml().load(in);
      schemas =
          (Map<String, Map<String, Object>>)
              ((Map<String, Object>) doc.get("components")).get("schemas");
    }
  }

  private static Set<Object> published(String component) {
    assertThat(schemas).containsKey(component);
    return new HashSet<>((List<?>) schemas.get(component).get("enum"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> property(String component, String property) {
    return (Map<String, Object>)
        ((Map<String, Object>) schemas.get(component).get("properties")).get(property);
  }

  @Test
  void everyClosedSetOfTheTemplateIsAPublishedEnumOfExactlyThoseValues() {
    assertThat(published("VmDomainType")).isEqualTo(Set.copyOf(TemplateVocabulary.DOMAIN_TYPES));
    assertThat(published("DiskType")).isEqualTo(Set.copyOf(TemplateVocabulary.DISK_TYPES));
    assertThat(published("DiskDriver")).isEqualTo(Set.copyOf(TemplateVocabulary.DISK_DRIVERS));
    assertThat(published("DiskCache")).isEqualTo(Set.copyOf(TemplateVocabulary.DISK_CACHES));
    assertThat(published("DiskIo")).isEqualTo(Set.copyOf(TemplateVocabulary.DISK_IOS));
    assertThat(published("DiskDiscard")).isEqualTo(Set.copyOf(TemplateVocabulary.DISK_DISCARDS));
    assertThat(published("DevPrefix")).isEqualTo(Set.copyOf(TemplateVocabulary.DEV_PREFIXES));
    assertThat(published("NicType")).isEqualTo(Set.copyOf(TemplateVocabulary.NIC_TYPES));
    assertThat(published("NicModel")).isEqualTo(Set.copyOf(TemplateVocabulary.NIC_MODELS));
    assertThat(published("GraphicsType")).isEqualTo(Set.copyOf(TemplateVocabulary.GRAPHICS_TYPES));
    assertThat(published("ConsoleType")).isEqualTo(Set.copyOf(TemplateVocabulary.CONSOLE_TYPES));
  }

  @Test
  @SuppressWarnings("unchecked")
  void bootDevicesArePublishedInlineAsExactlyTheAcceptedOnes() {
    Map<String, Object> items = (Map<String, Object>) property("Os", "boot").get("items");
    assertThat(new HashSet<>((List<?>) items.get("enum")))
        .isEqualTo(Set.copyOf(TemplateVocabulary.BOOT_DEVICES));
  }

  @Test
  void theTemplateFieldsReferToThePublishedEnums() {
    assertThat(property("Disk", "cache")).containsEntry("$ref", "#/components/schemas/DiskCache");
    assertThat(property("Disk", "io")).containsEntry("$ref", "#/components/schemas/DiskIo");
    assertThat(property("Disk", "devPrefix"))
        .containsEntry("$ref", "#/components/schemas/DevPrefix");
    assertThat(property("Nic", "model")).containsEntry("$ref", "#/components/schemas/NicModel");
    assertThat(property("VmTemplate", "domainType"))
        .containsEntry("$ref", "#/components/schemas/VmDomainType");
  }

  @Test
  void theTemplateNameCarriesTheServicesRuleAnchored() {
    Map<String, Object> name = property("VmTemplate", "name");
    assertThat(name).containsEntry("minLength", 1).containsEntry("pattern", SafeNames.NAME_PATTERN);
    // find(), as an ECMA regex's test() does: only anchors keep a prefix from passing
    Pattern pattern = Pattern.compile((String) name.get("pattern"));
    assertThat(pattern.matcher("web-1").find()).isTrue();
    assertThat(pattern.matcher("kvm1/../x").find()).isFalse();
    assertThat(pattern.matcher("").find()).isFalse();
    assertThat(pattern.matcher("a".repeat(65)).find()).isFalse();
  }

  @Test
  void emptyListsAreDeclaredDefaultsThatMeanWhatAbsentMeans() {
    assertThat(property("VmTemplate", "disks")).containsEntry("default", List.of());
    assertThat(property("VmTemplate", "nics")).containsEntry("default", List.of());
    assertThat(property("Os", "boot")).containsEntry("default", List.of());
  }
}
