/** Table and schema names: letters, digits and underscores, not starting with a digit. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** PostgreSQL's NAMEDATALEN - 1: longer names are silently truncated, so they are refused. */
export const MAX_IDENTIFIER_BYTES = 63;

/** Suffix of the expiry index name, derived from the table name. */
const EXPIRY_INDEX_SUFFIX = '_expires_at_idx';

/** Default table name. */
export const DEFAULT_TABLE = 'strongbox_kv';

/** The relations the adapter uses, as quoted SQL and as `to_regclass` arguments. */
export interface TableNames {
  /** The quoted table name, schema-qualified when a schema is known: `"s"."t"`. */
  table: string;
  /** The quoted, schema-qualified expiry index name. */
  expiryIndex: string;
  /** The unqualified quoted index name, as `CREATE INDEX` wants it. */
  expiryIndexName: string;
}

/** Why `name` cannot be a table or schema name, or undefined when it can. */
export function identifierProblem(what: 'table' | 'schema', name: unknown): string | undefined {
  if (typeof name !== 'string') return `${what} must be a string`;
  if (!IDENTIFIER.test(name)) {
    return `${what} must match ${IDENTIFIER.source} (letters, digits and underscores)`;
  }
  const longest =
    what === 'table' ? MAX_IDENTIFIER_BYTES - EXPIRY_INDEX_SUFFIX.length : MAX_IDENTIFIER_BYTES;
  if (name.length > longest) {
    return what === 'table'
      ? `table must be at most ${longest} bytes, so its index "${name}${EXPIRY_INDEX_SUFFIX}" fits ${MAX_IDENTIFIER_BYTES}`
      : `schema must be at most ${MAX_IDENTIFIER_BYTES} bytes`;
  }
  return undefined;
}

/**
 * The quoted names of `table` (and its expiry index) in `schema`. `table` must have passed
 * {@link identifierProblem}; quoting keeps the names' case and keeps keywords usable.
 */
export function tableNames(schema: string, table: string): TableNames {
  const indexName = quote(`${table}${EXPIRY_INDEX_SUFFIX}`);
  return {
    table: `${quote(schema)}.${quote(table)}`,
    expiryIndex: `${quote(schema)}.${indexName}`,
    expiryIndexName: indexName,
  };
}

/** A double-quoted identifier (the default schema comes from the server, so escape quotes). */
function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
