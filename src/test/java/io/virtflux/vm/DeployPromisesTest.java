package io.virtflux.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.host.HostConfig;
import io.virtflux.host.HostRegistry;
import io.virtflux.host.HostsProperties;
import io.virtflux.host.MemoryPromises;
import io.virtflux.vm.template.CallerRole;
import io.virtflux.vm.template.VmTemplate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which memory promise a deploy's run counts against: the one made when this process accepted it,
 * which its operation's end frees; or, for a deploy accepted before a restart, one made for the run
 * alone.
 */
class DeployPromisesTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final MemoryPromises memory =
      new MemoryPromises(
          new HostRegistry(
              new HostsProperties(
                  List.of(
                      new HostConfig(
                          "h", "test:///default", null, null, null, null, null, null, null)),
                  List.of("/ds"),
                  1,
                  Duration.ZERO)));
  private final DeployPromises promises = new DeployPromises(memory);

  private static VmDeployer.Deploy deploy(String vm, long memoryMiB) {
    VmTemplate template =
        JSON.readValue("{\"name\":\"" + vm + "\",\"memory\":" + memoryMiB + "}", VmTemplate.class);
    return new VmDeployer.Deploy("h", template, CallerRole.USER, List.of(), Map.of(), "alice");
  }

  /** The command as the lane reads it back from the journal: equal, not the same instance. */
  private static VmDeployer.Deploy readBack(VmDeployer.Deploy submitted) {
    return JSON.readValue(JSON.writeValueAsString(submitted), VmDeployer.Deploy.class);
  }

  @Test
  void theRunCountsThePromiseMadeAtSubmissionAndTheOperationsEndFreesIt() {
    VmDeployer.Deploy submitted = deploy("web", 1024);
    promises.promiseAnyway(submitted);

    StepVerifier.create(
            promises.whilePromised(
                readBack(submitted), p -> Mono.just(memory.promisedMiB("h") + "/" + p.memoryMiB())))
        .expectNext("1024/1024")
        .verifyComplete();
    // the run ended; the operation's end has not been told yet
    assertThat(memory.promisedMiB("h")).isEqualTo(1024);

    promises.release(submitted);
    assertThat(memory.promisedMiB("h")).isZero();
  }

  @Test
  void aDeployAcceptedBeforeARestartPromisesItsMemoryForItsRunAlone() {
    StepVerifier.create(
            promises.whilePromised(deploy("web", 512), p -> Mono.just(memory.promisedMiB("h"))))
        .expectNext(512L)
        .verifyComplete();
    assertThat(memory.promisedMiB("h")).isZero();

    StepVerifier.create(
            promises.whilePromised(
                deploy("web", 512), p -> Mono.error(new IllegalStateException("define failed"))))
        .expectError(IllegalStateException.class)
        .verify();
    assertThat(memory.promisedMiB("h")).isZero();
  }

  @Test
  void anotherDeployOfTheSameNameKeepsItsOwnPromise() {
    VmDeployer.Deploy first = deploy("web", 1024);
    VmDeployer.Deploy second = deploy("web", 1024);
    promises.promiseAnyway(first);
    promises.promiseAnyway(second);

    promises.release(second);
    promises.release(second);
    assertThat(memory.promisedMiB("h")).isEqualTo(1024);
    promises.release(first);
    assertThat(memory.promisedMiB("h")).isZero();
  }
}
