package io.virtflux.vm.template;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An enum the contract publishes (a component with {@code enumAsRef}) whose JSON values are the
 * words libvirt and OpenNebula use ({@code writeback}, {@code io_uring}), not the constants' names.
 * The template's fields stay strings, so that an unknown value is a field violation naming the
 * field and the allowed values, not a parse error; the enum is the one list both the contract and
 * {@link TemplateVocabulary} read.
 */
public interface WireValue {

  /**
   * The value as it appears in JSON and in libvirt's XML (the enum marks it {@code @JsonValue}).
   */
  String wire();

  /** Every wire value of {@code type}. */
  static <E extends Enum<E> & WireValue> Set<String> all(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(WireValue::wire)
        .collect(Collectors.toUnmodifiableSet());
  }
}
