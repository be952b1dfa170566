package io.virtflux.operation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The {@link OperationReplay} beans by recipe: turns the {@link ReplayInputs} kept with a QUEUED
 * operation back into work, or says why it can't.
 */
@Component
final class QueuedReplays {

  private final Map<String, OperationReplay<?>> byRecipe = new HashMap<>();
  private final JournalJson json;

  QueuedReplays(List<OperationReplay<?>> replays, JournalJson json) {
    this.json = json;
    for (OperationReplay<?> r : replays) {
      OperationReplay<?> before = byRecipe.put(r.recipe(), r);
      if (before != null) {
        throw new IllegalStateException(
            "two operation replays named '"
                + r.recipe()
                + "': "
                + before.getClass().getName()
                + " and "
                + r.getClass().getName());
      }
    }
  }

  /** What became of a kept request: work to run, or why there is none. */
  sealed interface Rebuilt {
    record Work(OperationWork work) implements Rebuilt {}

    record Refused(String why) implements Rebuilt {}
  }

  /**
   * The work of {@code queued} from its kept inputs. Reading them happens now; the feature's own
   * look-ups happen when the work runs in its lanes, so their failures end the operation FAILED
   * with the feature's problem, as they would have for the original request.
   */
  Rebuilt rebuild(Operation queued, String replayJson) {
    ReplayInputs kept;
    try {
      kept = json.readReplay(replayJson);
    } catch (RuntimeException e) {
      return new Rebuilt.Refused("its kept request could not be read (" + e.getMessage() + ")");
    }
    OperationReplay<?> replay = byRecipe.get(kept.recipe());
    if (replay == null) {
      return new Rebuilt.Refused(
          "this version of the service cannot run a kept '" + kept.recipe() + "' request");
    }
    return bind(replay, queued, kept.inputs());
  }

  private <T> Rebuilt bind(OperationReplay<T> replay, Operation queued, Object plain) {
    T inputs;
    try {
      inputs = json.convert(plain, replay.inputType());
    } catch (RuntimeException e) {
      return new Rebuilt.Refused(
          "its kept '" + replay.recipe() + "' request could not be read (" + e.getMessage() + ")");
    }
    // rebuilt inside run(): the pipeline turns what it throws into the operation's FAILED problem
    return new Rebuilt.Work(ctx -> replay.rebuild(queued, inputs).run(ctx));
  }
}
