import type { OperationTraceContext } from '@strongbox/core';

/** Attribute names: the OpenTelemetry database semantic conventions, plus Strongbox's own. */
export const ATTR_DB_SYSTEM_NAME = 'db.system.name';
export const ATTR_DB_OPERATION_NAME = 'db.operation.name';
export const ATTR_ERROR_TYPE = 'error.type';
/** The adapter's own name (`KVBackend.name`), e.g. `memory`, `postgres`, `failover`. */
export const ATTR_STRONGBOX_BACKEND = 'strongbox.backend';
/** The key of the call; recorded only with `recordKeys: true`. */
export const ATTR_STRONGBOX_KEY = 'strongbox.key';
/** How many `increment` calls one combined request carried. */
export const ATTR_STRONGBOX_BATCH_SIZE = 'strongbox.batch.size';
/** Whether a failed call's error says the backend is unhealthy / the write may have landed. */
export const ATTR_STRONGBOX_UNHEALTHY = 'strongbox.error.unhealthy';
export const ATTR_STRONGBOX_INDETERMINATE = 'strongbox.error.indeterminate';

/** Adapter names whose `db.system.name` differs from the name (the conventions' well-known ids). */
const SYSTEM_NAMES: Readonly<Record<string, string>> = { postgres: 'postgresql', redis: 'redis' };

/** `db.system.name` of a backend: `postgresql`, `redis`, else the adapter's name. */
export function dbSystemName(backend: string): string {
  return SYSTEM_NAMES[backend] ?? backend;
}

/** The attributes every span and metric of one call carries (never the key). */
export function operationAttributes(context: OperationTraceContext): Record<string, string> {
  return {
    [ATTR_DB_SYSTEM_NAME]: dbSystemName(context.backend),
    [ATTR_DB_OPERATION_NAME]: context.op,
    [ATTR_STRONGBOX_BACKEND]: context.backend,
  };
}
