package io.virtflux.operation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * The {@link CommandHandler} beans, by command type and by journaled name, and the command's
 * journal form: {@link JournaledCommand}, the handler's name and the command's fields.
 */
@Component
final class CommandHandlers {

  private final Supplier<Index> index;
  private final JournalJson json;

  /**
   * The handlers are looked up on first use, not at construction: they are feature services that
   * themselves submit through {@link Operations}, which needs this.
   */
  CommandHandlers(ObjectProvider<CommandHandler<?, ?>> handlers, JournalJson json) {
    this.json = json;
    this.index = SingletonSupplier.of(() -> new Index(handlers.orderedStream().toList()));
  }

  private static final class Index {
    final Map<Class<?>, CommandHandler<?, ?>> byType = new HashMap<>();
    final Map<String, CommandHandler<?, ?>> byName = new HashMap<>();

    Index(List<CommandHandler<?, ?>> handlers) {
      for (CommandHandler<?, ?> h : handlers) {
        CommandHandler<?, ?> before = byName.put(h.name(), h);
        if (before != null || byType.put(h.commandType(), h) != null) {
          throw new IllegalStateException(
              "two command handlers for '" + h.name() + "' / " + h.commandType().getName());
        }
      }
    }
  }

  /** A command and the handler that runs it. */
  record Bound<C extends Command>(CommandHandler<C, ?> handler, C command) {}

  /** The handler of {@code command}; a command without one is a bug. */
  @SuppressWarnings("unchecked")
  <C extends Command> Bound<C> bind(C command) {
    CommandHandler<C, ?> handler =
        (CommandHandler<C, ?>) index.get().byType.get(command.getClass());
    if (handler == null) {
      throw new IllegalStateException("no handler for " + command.getClass().getName());
    }
    return new Bound<>(handler, command);
  }

  /** What became of a journaled command: the command with its handler, or why there is none. */
  sealed interface Read {
    record Ok(Bound<?> bound) implements Read {}

    record Unreadable(String why) implements Read {}
  }

  /** The command journaled as {@code journaled}, bound to its handler. */
  Read read(String journaled) {
    JournaledCommand kept;
    try {
      kept = json.readCommand(journaled);
    } catch (RuntimeException e) {
      return new Read.Unreadable(
          "its journaled command could not be read (" + e.getMessage() + ")");
    }
    return Optional.ofNullable(index.get().byName.get(kept.name()))
        .<Read>map(handler -> bound(handler, kept.command()))
        .orElseGet(
            () ->
                new Read.Unreadable(
                    "this version of the service cannot run a journaled '"
                        + kept.name()
                        + "' command"));
  }

  private <C extends Command> Read bound(CommandHandler<C, ?> handler, Object plain) {
    try {
      return new Read.Ok(new Bound<>(handler, json.convert(plain, handler.commandType())));
    } catch (RuntimeException e) {
      return new Read.Unreadable(
          "its journaled '"
              + handler.name()
              + "' command could not be read ("
              + e.getMessage()
              + ")");
    }
  }
}
