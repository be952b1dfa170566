package io.virtflux.vm.template;

/**
 * One thing wrong with a template.
 *
 * @param field the attribute path in the request body, {@code disks[1].cache}
 * @param message what is wrong, for a person
 */
public record Violation(String field, String message) {}
