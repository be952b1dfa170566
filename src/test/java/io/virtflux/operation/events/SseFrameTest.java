package io.virtflux.operation.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bytes of the frames, as every SSE client parses them. */
class SseFrameTest {

  @Test
  void journaledEventHasIdEventAndData() {
    SseFrame frame = SseFrame.of(TestEvents.queued(7));

    assertThat(text(frame)).isEqualTo("id:7\nevent:operation\ndata:{\"id\":\"op-7\"}\n\n");
    assertThat(frame.id()).isEqualTo("7");
    assertThat(frame.event()).isEqualTo("operation");
  }

  @Test
  void lineBreaksInDataBecomeDataLinesSoTheyCannotEndTheFrame() {
    assertThat(text(SseFrame.named("overflow", "a\nb\r\nc\rd\n\nevent:x")))
        .isEqualTo("event:overflow\ndata:a\ndata:b\ndata:c\ndata:d\ndata:\ndata:event:x\n\n");
  }

  @Test
  void commentIsAColonLine() {
    assertThat(text(SseFrame.comment("connected"))).isEqualTo(":connected\n\n");
  }

  private static String text(SseFrame frame) {
    return new String(frame.bytes(), StandardCharsets.UTF_8);
  }
}
