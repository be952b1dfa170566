package io.virtflux.libvirt.xml;

import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a record whose element has an attribute and a child element of the same name, keeping the
 * attribute.
 *
 * <p>Jackson XML reports attributes and child elements alike as properties, so in {@code
 * <controller model='pcie-root-port'><model name='pcie-root-port'/></controller>} the child
 * silently overwrites the attribute with an empty string. Read as a tree, the duplicates become an
 * array ({@code ["pcie-root-port", {"name": ...}]}); we keep its text entry, drop the element, and
 * hand the tree to the default deserializer.
 */
final class AttributeWinsDeserializer extends DelegatingDeserializer {

  private final Set<String> names;

  AttributeWinsDeserializer(ValueDeserializer<?> delegate, Set<String> names) {
    super(delegate);
    this.names = Set.copyOf(names);
  }

  @Override
  protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> newDelegatee) {
    return new AttributeWinsDeserializer(newDelegatee, names);
  }

  @Override
  public Object deserialize(JsonParser p, DeserializationContext ctxt) {
    JsonNode tree = ctxt.readTree(p);
    if (tree instanceof ObjectNode object) {
      names.forEach(name -> keepText(object, name));
    }
    try (JsonParser fixed = tree.traverse(ctxt)) {
      fixed.nextToken();
      return _delegatee.deserialize(fixed, ctxt);
    }
  }

  private static void keepText(ObjectNode object, String name) {
    JsonNode value = object.get(name);
    if (value == null || value.isString()) {
      return;
    }
    JsonNode text = null;
    if (value.isArray()) {
      for (JsonNode entry : value) {
        if (entry.isString()) {
          text = entry;
          break;
        }
      }
    }
    if (text == null) {
      object.remove(name);
    } else {
      object.set(name, text);
    }
  }
}
