package io.virtflux.migration;

import io.virtflux.host.Host;
import io.virtflux.libvirt.DomainAction;
import io.virtflux.libvirt.LibvirtFailure;
import io.virtflux.libvirt.LibvirtGateway;
import io.virtflux.libvirt.MigrationProgress;
import io.virtflux.operation.OperationContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Watches a migration while libvirt runs it: reads the job's statistics every second (the
 * operation's progress), sets the caller's max downtime once the job exists, and enforces the
 * caller's timeout itself (abort, or pause the guest so the copy converges).
 */
@Component
class MigrationWatch {

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

  private final LibvirtGateway libvirt;

  MigrationWatch(LibvirtGateway libvirt) {
    this.libvirt = libvirt;
  }

  /**
   * Starts watching the job of {@code vm} on {@code source}; {@code timedOut} is set when the
   * caller's timeout struck. Disposing of the result stops it.
   */
  Disposable watch(
      OperationContext ctx,
      String vm,
      Host source,
      MigrationRequest request,
      AtomicBoolean timedOut) {
    AtomicBoolean downtimeSet = new AtomicBoolean(request.maxDowntimeMs() == null);
    Flux<Object> progress =
        Flux.interval(PROGRESS_EVERY)
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    libvirt
                        .jobProgress(source.ref(), vm, false)
                        .onErrorResume(LibvirtFailure.class, e -> Mono.empty()))
            .filter(MigrationProgress::active)
            .concatMap(
                p -> {
                  ctx.progress(MigrationJobStats.of(p).asProgress());
                  if (downtimeSet.compareAndSet(false, true)) {
                    return libvirt
                        .setMaxDowntime(source.ref(), vm, request.maxDowntimeMs())
                        .onErrorResume(LibvirtFailure.class, e -> Mono.empty())
                        .then(Mono.empty());
                  }
                  return Mono.empty();
                });
    Mono<Void> timeout =
        request.timeoutSeconds() == null
            ? Mono.never()
            : Mono.delay(Duration.ofSeconds(request.timeoutSeconds()))
                .flatMap(
                    tick -> {
                      timedOut.set(true);
                      return request.pauseOnTimeout()
                          ? libvirt.act(source.ref(), vm, DomainAction.SUSPEND)
                          : libvirt.abortJob(source.ref(), vm);
                    })
                .onErrorResume(LibvirtFailure.class, e -> Mono.empty());
    return Flux.merge(progress, timeout).subscribe();
  }
}
