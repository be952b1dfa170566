package io.virtflux.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.validation.BindingResult;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.Validator;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Refuses, in every validated request body, text that XML cannot carry: control characters other
 * than tab and line breaks, unpaired surrogates, U+FFFE and U+FFFF. Whatever a client sends may end
 * up in domain XML (a kernel command line, a path, a name), and such a character would make that
 * document malformed on its way to libvirt. JSON can carry all of them (as {@code \\u0001}, {@code
 * \\udfff}), so the check is here, once for every body, rather than in each feature's validation.
 * The 400 names the field; the value is not echoed.
 */
@ControllerAdvice
final class XmlSafeBodies {

  private static final Validator XML_SAFE = new XmlSafeText();

  @InitBinder
  void checkXmlSafety(WebDataBinder binder) {
    Object target = binder.getTarget();
    if (target != null && XML_SAFE.supports(target.getClass())) {
      binder.addValidators(XML_SAFE);
    }
  }

  /** Walks a request record (its records, lists and maps) and rejects every unsafe string. */
  static final class XmlSafeText implements Validator {

    @Override
    public boolean supports(Class<?> type) {
      return type.isRecord() && type.getPackageName().startsWith("io.virtflux");
    }

    @Override
    public void validate(Object target, Errors errors) {
      walk(target, "", errors);
    }

    private void walk(@Nullable Object value, String path, Errors errors) {
      if (value == null) {
        return;
      }
      if (value instanceof CharSequence text) {
        check(text, path, errors);
      } else if (value instanceof Collection<?> items) {
        int i = 0;
        for (Object item : items) {
          walk(item, path + "[" + i++ + "]", errors);
        }
      } else if (value instanceof Map<?, ?> map) {
        map.forEach(
            (k, v) -> {
              String at = path + "[" + k + "]";
              walk(k, at, errors);
              walk(v, at, errors);
            });
      } else if (value.getClass().isRecord()) {
        for (RecordComponent c : value.getClass().getRecordComponents()) {
          String name = jsonName(c);
          walk(read(c, value), path.isEmpty() ? name : path + "." + name, errors);
        }
      }
    }

    /** The field's name in the API: Jackson's when it renames the component ("class"). */
    private static String jsonName(RecordComponent component) {
      // JsonProperty does not target record components: javac puts it on the accessor
      JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
      return renamed == null || renamed.value().isEmpty() ? component.getName() : renamed.value();
    }

    private static @Nullable Object read(RecordComponent component, Object record) {
      try {
        return component.getAccessor().invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + component, e);
      }
    }

    private static void check(CharSequence text, String path, Errors errors) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        boolean pairedHigh =
            Character.isHighSurrogate(c)
                && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
        if (pairedHigh) {
          i++;
          continue;
        }
        if (!allowed(c)) {
          reject(
              errors,
              path,
              String.format(
                  "contains a character XML cannot carry (U+%04X at position %d)", (int) c, i));
          return;
        }
      }
    }

    /** XML 1.0's Char production, for one UTF-16 unit outside a surrogate pair. */
    private static boolean allowed(char c) {
      if (c < 0x20) {
        return c == '\t' || c == '\n' || c == '\r';
      }
      return !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF;
    }

    private static void reject(Errors errors, String path, String message) {
      if (errors instanceof BindingResult result) {
        // the field path of a record cannot go through bean property access: add it as it is
        result.addError(
            new FieldError(
                result.getObjectName(),
                path,
                null,
                false,
                new String[] {"XmlSafe"},
                null,
                message));
      } else {
        errors.reject("XmlSafe", path + " " + message);
      }
    }
  }
}
