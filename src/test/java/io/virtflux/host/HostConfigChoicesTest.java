package io.virtflux.host;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a host registration accepts is what the contract says: the published domain types, names of
 * the published pattern, and PCI filters of the published pattern, which is anchored now (it began
 * with '|' and so, unanchored, let a generated client send anything).
 */
class HostConfigChoicesTest {

  private static final Validator VALIDATOR =
      Validation.buildDefaultValidatorFactory().getValidator();

  private static HostConfig host(String name, String domainType, String pciFilter) {
    return new HostConfig(
        name, "qemu+tcp://kvm1/system", null, null, null, domainType, null, pciFilter, null);
  }

  private static Set<String> refused(HostConfig config) {
    return VALIDATOR.validate(config).stream()
        .map(ConstraintViolation::getPropertyPath)
        .map(Object::toString)
        .collect(Collectors.toSet());
  }

  @Test
  void everyPublishedDomainTypeIsAcceptedAndNothingElse() {
    Arrays.stream(HostDomainType.values())
        .forEach(t -> assertThat(refused(host("kvm1", t.wire(), null))).isEmpty());
    assertThat(refused(host("kvm1", "kvmfoo", null))).containsExactly("domainType");
  }

  @Test
  void aNameWithASlashIsRefusedByTheServiceAndByThePublishedPattern() {
    assertThat(refused(host("kvm1/../x", null, null))).containsExactly("name");
    // find(), as an ECMA regex's test() does in a generated client
    assertThat(Pattern.compile(HostNames.PATTERN).matcher("kvm1/../x").find()).isFalse();
    assertThat(Pattern.compile(HostNames.PATTERN).matcher("kvm1").find()).isTrue();
  }

  @Test
  void thePciFilterPatternAcceptsFiltersAndNothingElse() {
    for (String ok :
        new String[] {"", "10de::0300", "10de::0300,::0302", "::03xx", "*:*:0c03:30"}) {
      assertThat(refused(host("kvm1", null, ok))).as(ok).isEmpty();
      assertThat(Pattern.compile(HostConfig.FILTER).matcher(ok).find()).as(ok).isTrue();
    }
    for (String bad : new String[] {"|", "10de", "gpu", "10de::0300;rm", "10de::0300, ::0302"}) {
      assertThat(refused(host("kvm1", null, bad))).as(bad).containsExactly("pciFilter");
      assertThat(Pattern.compile(HostConfig.FILTER).matcher(bad).find()).as(bad).isFalse();
    }
  }
}
