package io.virtflux.operation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code virtflux.shutdown.*}: the graceful stop ({@link GracefulDrain}).
 *
 * @param drainTimeout how long a stopping service waits for the operations it runs to end. 60 s by
 *     default: what the service usually runs takes seconds (a deploy, a hotplug, a lifecycle
 *     action, a sync) or a few tens of seconds (the live migration of a guest of a few GiB, an ACPI
 *     shutdown), and a rolling update should not wait for the rare long one (a large guest's
 *     migration, a guest that ignores the power button): what still runs then is settled by the
 *     next start, which asks the host how it ended. Kubernetes must give the pod this plus a margin
 *     ({@code terminationGracePeriodSeconds}, set by the Helm chart from the same value)
 */
@ConfigurationProperties("virtflux.shutdown")
public record ShutdownProperties(@DefaultValue("60s") Duration drainTimeout) {}
