package io.virtflux.vm.template;

import static io.virtflux.libvirt.xml.XmlAssertions.resource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Shared test data: defaults and policy bound as Spring binds them, a lab host, templates. */
final class Fixtures {

  static final Path DATASTORE = Path.of("/var/lib/virtflux/datastores/0");
  static final Path IMAGES = Path.of("/var/lib/virtflux/images");
  static final HostFacts HOST = new HostFacts(DomainType.QEMU, List.of(DATASTORE, IMAGES));

  /** Like the application's mapper: unknown JSON properties are an error. */
  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
          .enable(JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES)
          .build();

  private Fixtures() {}

  static VmDefaults defaults() {
    return defaults(Map.of());
  }

  static VmDefaults defaults(Map<String, String> properties) {
    return binder(properties).bindOrCreate("virtflux.vm.defaults", VmDefaults.class);
  }

  static VmPolicy policy() {
    return policy(Map.of());
  }

  static VmPolicy policy(Map<String, String> properties) {
    return binder(properties).bindOrCreate("virtflux.vm.policy", VmPolicy.class);
  }

  /** A template from JSON (single quotes and bare names allowed, for readable tables). */
  static VmTemplate template(String json) {
    return JSON.readValue(json, VmTemplate.class);
  }

  static VmTemplate templateResource(String path) {
    return template(resource(path));
  }

  static TemplateValidator validator() {
    return new TemplateValidator(defaults(), policy());
  }

  private static Binder binder(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties));
  }
}
