package io.virtflux.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the service's time goes in one kind of operation, from the operation's own timestamps
 * (createdAt, startedAt, finishedAt) set against the client's clock: before the journal (HTTP,
 * validation, the VM and host look-ups), queued for the lane, running in the lane (the libvirt
 * calls), and from the end to the client's receipt of the terminal event; plus the libvirt calls
 * the service made per operation, by its own metrics.
 */
final class RealVmBreakdown {

  private final Samples accepted = new Samples();
  private final Samples beforeJournal = new Samples();
  private final Samples queued = new Samples();
  private final Samples inLane = new Samples();
  private final Samples toClient = new Samples();
  private final RealVmLibvirtCalls libvirt = new RealVmLibvirtCalls();

  void add(RealVmApi.Done done) {
    long created = JsonFields.epochNanos(done.json(), "createdAt");
    long started = JsonFields.epochNanos(done.json(), "startedAt");
    long finished = JsonFields.epochNanos(done.json(), "finishedAt");
    accepted.add(done.acceptedNanos() - done.startNanos());
    beforeJournal.add(created - done.wallNanos(done.startNanos()));
    queued.add(started - created);
    inLane.add(finished - started);
    toClient.add(done.wallNanos(done.endNanos()) - finished);
    libvirt.add(done.libvirt());
  }

  Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("submitTo202", accepted.summary());
    out.put("submitToCreated", beforeJournal.summary());
    out.put("createdToStarted", queued.summary());
    out.put("startedToFinished", inLane.summary());
    out.put("finishedToEvent", toClient.summary());
    out.put("libvirtCalls", libvirt.summary());
    return out;
  }

  /** The p50s in one line, for the notes: where a median operation spends its time. */
  String p50s() {
    return String.format(
        Locale.ROOT,
        "before the journal %.0f ms, queued %.0f ms, in the lane %.0f ms, to the client %.0f ms",
        beforeJournal.p50(),
        queued.p50(),
        inLane.p50(),
        toClient.p50());
  }
}
