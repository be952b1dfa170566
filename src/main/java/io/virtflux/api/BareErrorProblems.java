package io.virtflux.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import reactor.netty.NettyPipeline;

/**
 * Problem+json for the 4xx that Netty and Spring's adapter answer before any filter or controller
 * runs, with a bare status and no body: a request line longer than Netty's limit (414), headers
 * over theirs (431), a URL Spring cannot parse, such as a stray {@code %} (400). A client gets the
 * same kind of answer as for every other refusal. Nothing else is touched: only empty 4xx answers
 * without a Content-Type, and never the answer to a HEAD request (which has no body).
 */
@Configuration(proxyBeanMethods = false)
class BareErrorProblems {

  @Bean
  NettyServerCustomizer problemsForBareErrors() {
    return server ->
        server.doOnChannelInit(
            (observer, channel, remote) -> {
              // HTTP/1.1 only: with its codec in place the handler goes right after it
              if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel
                    .pipeline()
                    .addAfter(NettyPipeline.HttpCodec, "virtflux.problems", new Handler());
              }
            });
  }

  /** Replaces an empty, untyped 4xx response with a problem saying what the status means. */
  static final class Handler extends ChannelDuplexHandler {

    // the method of the request being answered (HTTP/1.1 answers requests in order)
    private boolean head;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        head = HttpMethod.HEAD.equals(request.method());
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (!head
          && msg instanceof FullHttpResponse response
          && response.status().code() >= 400
          && response.status().code() < 500
          && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)
          && response.content().readableBytes() == 0) {
        byte[] body = problem(response.status().code(), response.status().reasonPhrase());
        FullHttpResponse problem = response.replace(Unpooled.wrappedBuffer(body));
        problem
            .headers()
            .set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.release();
        ctx.write(problem, promise);
        return;
      }
      ctx.write(msg, promise);
    }

    private static byte[] problem(int status, String title) {
      String detail =
          switch (status) {
            case 414 -> "the request line (method, path and query) is longer than the server reads";
            case 431 -> "the request's headers are larger than the server reads";
            case 400 -> "the request could not be parsed: its URL or headers are malformed";
            default -> "the request was refused before it reached the API";
          };
      String type =
          switch (status) {
            case 414 -> "uri-too-long";
            case 431 -> "headers-too-large";
            case 400 -> "malformed-request";
            default -> "refused-request";
          };
      // fixed texts only: nothing from the request is echoed, so no JSON escaping is needed
      return ("{\"type\":\"urn:virtflux:problem:"
              + type
              + "\",\"title\":\""
              + title
              + "\",\"status\":"
              + status
              + ",\"detail\":\""
              + detail
              + "\"}")
          .getBytes(StandardCharsets.UTF_8);
    }
  }
}
