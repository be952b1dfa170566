// Redocly plugin with virtflux's lint rules that configurable rules (redocly.yaml) cannot express.
// Used by redocly.yaml, run by dev/lint-openapi.

const MUTATING = new Set(['post', 'put', 'patch', 'delete']);
const HEADER = 'idempotency-key';
// a cancel's 202 queues nothing: it says that the operation it names is aborting
const QUEUES_NOTHING = new Set(['cancelOperation']);

/**
 * A post, put, patch or delete that answers 202 queues an operation: it must take the
 * Idempotency-Key header, so that a client can retry it without queueing it twice. The parameter
 * may sit on the operation or on its path, inline or as a $ref.
 */
function IdempotencyKeyOnAccepted() {
  return {
    PathItem: {
      Operation: {
        enter(operation, ctx, parents) {
          if (
            !MUTATING.has(String(ctx.key)) ||
            !operation.responses?.['202'] ||
            QUEUES_NOTHING.has(operation.operationId)
          ) {
            return;
          }
          const declared = [...(parents.PathItem?.parameters ?? []), ...(operation.parameters ?? [])]
            .map((p) => (p && p.$ref ? ctx.resolve(p).node : p))
            .some((p) => p && p.in === 'header' && String(p.name).toLowerCase() === HEADER);
          if (!declared) {
            ctx.report({
              message: `${String(ctx.key).toUpperCase()} answering 202 must declare the Idempotency-Key header parameter ($ref: '#/components/parameters/IdempotencyKey')`,
              location: ctx.location.key(),
            });
          }
        },
      },
    },
  };
}

export default function virtfluxRules() {
  return {
    id: 'virtflux',
    rules: {
      oas3: {
        'idempotency-key-on-accepted': IdempotencyKeyOnAccepted,
      },
    },
  };
}
