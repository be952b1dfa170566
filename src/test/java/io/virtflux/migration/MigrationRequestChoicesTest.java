package io.virtflux.migration;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * mode, copyStorage and onTimeout are published as enums but stay strings checked by their patterns
 * (so a wrong value is a 400 naming the field): every published value passes, and anything else is
 * refused on that field.
 */
class MigrationRequestChoicesTest {

  private static final Validator VALIDATOR =
      Validation.buildDefaultValidatorFactory().getValidator();

  private static MigrationRequest request(String mode, String copyStorage, String onTimeout) {
    return new MigrationRequest(
        "lab-b",
        null,
        null,
        mode,
        null,
        null,
        copyStorage,
        null,
        null,
        null,
        null,
        null,
        onTimeout,
        null);
  }

  private static Set<String> refused(MigrationRequest request) {
    return VALIDATOR.validate(request).stream()
        .map(ConstraintViolation::getPropertyPath)
        .map(Object::toString)
        .collect(Collectors.toSet());
  }

  @Test
  void everyPublishedValueIsAccepted() {
    Arrays.stream(MigrationMode.values())
        .forEach(m -> assertThat(refused(request(m.wire(), null, null))).isEmpty());
    Arrays.stream(CopyStorage.values())
        .forEach(c -> assertThat(refused(request(null, c.wire(), null))).isEmpty());
    Arrays.stream(MigrationTimeoutAction.values())
        .forEach(a -> assertThat(refused(request(null, null, a.wire()))).isEmpty());
  }

  @Test
  void anyOtherValueIsRefusedOnItsField() {
    assertThat(refused(request("p2p", "some", "resume")))
        .containsExactlyInAnyOrder("mode", "copyStorage", "onTimeout");
  }
}
