package io.virtflux.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Log lines written by an operation's work, on any thread, carry its id and host as JSON fields.
 */
@SpringBootTest
@Import(OneLaneTestConfig.class)
@ExtendWith(OutputCaptureExtension.class)
class OperationLogContextTest extends JournalTestSupport {

  private static final Logger log = LoggerFactory.getLogger("io.virtflux.test.work");

  @Test
  void aLineLoggedByTheWorkOnAnotherThreadCarriesTheOperation(CapturedOutput output) {
    String vm = unique("vm");
    String host = unique("host");
    Operation op =
        operations
            .submit(
                request(OperationKind.REBOOT, vm, host),
                ctx ->
                    Mono.delay(Duration.ofMillis(20), Schedulers.parallel())
                        .publishOn(Schedulers.boundedElastic())
                        .doOnNext(tick -> log.info("work of {} on another thread", vm))
                        .thenReturn("ok"))
            .block();
    awaitPhase(op.id(), Phase.SUCCEEDED);
    String line =
        output.getOut().lines().filter(l -> l.contains("work of " + vm)).findFirst().orElseThrow();
    assertThat(line)
        .startsWith("{")
        .contains("\"operationId\":\"" + op.id() + "\"")
        .contains("\"host\":\"" + host + "\"")
        .contains("\"vm\":\"" + vm + "\"");
  }
}
