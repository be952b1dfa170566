package io.virtflux.vm.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** The request body as JSON, and its bean-validation annotations. */
class VmTemplateJsonTest {

  @Test
  void unknownPropertiesAreRejectedAtEveryLevel() {
    assertThatThrownBy(() -> Fixtures.template("{name: 'a', memory: 64, memroy: 1}"))
        .isInstanceOf(UnrecognizedPropertyException.class);
    assertThatThrownBy(
            () ->
                Fixtures.template(
                    "{name: 'a', memory: 64, disks: [{source: '/x', cahce: 'none'}]}"))
        .isInstanceOf(UnrecognizedPropertyException.class)
        .hasMessageContaining("cahce");
  }

  @Test
  void bootIsAListOrOneCommaSeparatedString() {
    assertThat(Fixtures.template("{name: 'a', memory: 1, os: {boot: 'hd,cdrom'}}").os().boot())
        .containsExactly("hd", "cdrom");
    assertThat(
            Fixtures.template("{name: 'a', memory: 1, os: {boot: ['network', 'HD']}}").os().boot())
        .containsExactly("network", "hd");
  }

  @Test
  void absentListsAreEmptyAndNullEntriesStayForTheValidator() {
    VmTemplate t = Fixtures.template("{name: 'a', memory: 1, nics: [null]}");
    assertThat(t.disks()).isEmpty();
    assertThat(t.nics()).hasSize(1).containsNull();
  }

  @Test
  void beanValidationCatchesTheShapeEarly() {
    try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
      Validator validator = factory.getValidator();
      VmTemplate t =
          Fixtures.template(
              "{name: '', memory: -1, cpu: 0, disks: [{source: '/x', bootOrder: 0}, null]}");
      Set<ConstraintViolation<VmTemplate>> violations = validator.validate(t);
      assertThat(violations)
          .extracting(v -> v.getPropertyPath().toString())
          .contains("name", "memory", "cpu", "disks[0].bootOrder", "disks[1].<list element>");
    }
  }
}
