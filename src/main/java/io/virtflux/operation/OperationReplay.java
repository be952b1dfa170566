package io.virtflux.operation;

import java.util.function.BiFunction;

/**
 * Rebuilds the work of an operation that a previous process accepted but never started (it was
 * QUEUED when the service died), from the {@link ReplayInputs} its feature kept. The journal keeps
 * inputs, never code, so each feature that submits replayable work provides one of these beans.
 *
 * <p>{@link #rebuild} is called when the operation's lanes admit it, not at start-up, and its work
 * runs right after, as the original would have. So it can look up hosts and VMs as they are then,
 * and whatever changed while the service was down (a host removed, a device taken) ends the
 * operation FAILED with the problem it throws, as any other failing work.
 *
 * @param <T> the inputs, a record Jackson reads back from the journal
 */
public interface OperationReplay<T> {

  /** The name that {@link ReplayInputs#recipe()} refers to; unique across the application. */
  String recipe();

  /** The type the stored inputs are read back as. */
  Class<T> inputType();

  /** The work of {@code queued}, from its stored inputs. */
  OperationWork rebuild(Operation queued, T inputs);

  /** A replay that calls {@code rebuild}; what a feature's {@code @Bean} method returns. */
  static <T> OperationReplay<T> of(
      String recipe, Class<T> inputType, BiFunction<Operation, T, OperationWork> rebuild) {
    return new OperationReplay<>() {
      @Override
      public String recipe() {
        return recipe;
      }

      @Override
      public Class<T> inputType() {
        return inputType;
      }

      @Override
      public OperationWork rebuild(Operation queued, T inputs) {
        return rebuild.apply(queued, inputs);
      }
    };
  }
}
