/**
 * `@strongbox/postgres/internal`: pieces of the adapter for the repository's benchmark harness,
 * so its raw-driver baselines send exactly the SQL, encoding and driver options the adapter
 * uses. **Unstable**: not part of the public API, may change or disappear in any release
 * (semver does not cover it). Applications use `@strongbox/postgres`.
 *
 * @packageDocumentation
 */
export { type PostgresSettings, resolvePostgresOptions } from './options.js';
export { driverOptions } from './postgres-client.js';
export { type Statements, statementsFor } from './statements.js';
export { decodeValue, encodeValue } from './value-codec.js';
