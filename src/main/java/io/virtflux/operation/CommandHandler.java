package io.virtflux.operation;

import java.util.Set;
import org.springframework.core.ResolvableType;
import reactor.core.publisher.Mono;

/**
 * Checks and runs one type of {@link Command}. The pipeline calls {@link #check} when the command
 * is submitted, for a fast 4xx, and again when the lanes admit it, so that what changed while it
 * waited (a VM gone, a device taken) ends it FAILED with the same problem instead of a libvirt
 * error; then {@link #run}. Fresh and restarted operations take this one path.
 *
 * @param <C> the command
 * @param <R> the result record, which becomes the operation's {@code result}
 */
public interface CommandHandler<C extends Command, R> {

  /** The command type this handler runs (its first type argument); one handler per type. */
  @SuppressWarnings("unchecked")
  default Class<C> commandType() {
    return (Class<C>) typeArgument(0);
  }

  /**
   * The name the journal keeps with the command, so that a later version of the service can still
   * read it. Never reuse a name for other inputs.
   */
  String name();

  /** The operation kinds of its commands (a lifecycle handler runs several). */
  Set<OperationKind> kinds();

  /** The result's type (its second type argument), documented in the contract per kind. */
  @SuppressWarnings("unchecked")
  default Class<R> resultType() {
    return (Class<R>) typeArgument(1);
  }

  private Class<?> typeArgument(int index) {
    Class<?> type =
        ResolvableType.forClass(getClass()).as(CommandHandler.class).getGeneric(index).resolve();
    if (type == null) {
      throw new IllegalStateException(
          getClass().getName() + " must name its command and result types");
    }
    return type;
  }

  /**
   * Operation kinds that must not be queued or running on the same VM when this command is
   * submitted (a hotplug during a migration): the pipeline refuses it with 409. Checked at
   * submission only: what was accepted before it runs before it in the lanes, and a command never
   * conflicts with itself.
   */
  default Set<OperationKind> conflictsWith() {
    return Set.of();
  }

  /**
   * Whether the command can run against the hosts as they are now: completes empty, or fails with a
   * problem (an {@link org.springframework.web.ErrorResponse}).
   */
  default Mono<Void> check(C command) {
    return Mono.empty();
  }

  /** The operation's work; what it emits is the result, an error its problem. */
  Mono<R> run(C command, OperationContext context);

  /**
   * Called once when the operation ends, whether it ran or not (cancelled while QUEUED, refused at
   * submission), in the process that accepted it: frees what was promised for it at submission,
   * such as a deploy's memory on its host. A command resumed by a later process promised nothing
   * there, so its {@link #run} takes and frees what it needs itself.
   */
  default void ended(C command) {}
}
