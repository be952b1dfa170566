/**
 * See ARCHITECTURE: feature package `operation`.
 *
 * <p>The root is what features build on, and the pipeline: the model ({@link
 * io.virtflux.operation.Operation}, its kinds, targets and phases), the ports features call ({@link
 * io.virtflux.operation.Operations}, {@link io.virtflux.operation.ObservedEvents}) or implement
 * ({@link io.virtflux.operation.CommandHandler}, {@link io.virtflux.operation.RestartReconciler},
 * {@link io.virtflux.operation.LaneLimits}, {@link io.virtflux.operation.HostAdmission}), and the
 * few classes that put the subpackages together ({@link io.virtflux.operation.OperationService}
 * first). The subpackages are how the pipeline works, and no feature uses them: {@code journal}
 * (the durable record), {@code lanes} (per-host admission), {@code events} (the SSE streams) and
 * {@code web} (the operations' own controllers). {@code ArchitectureTest} holds these lines and
 * keeps them free of cycles.
 */
@NullMarked
package io.virtflux.operation;

import org.jspecify.annotations.NullMarked;
