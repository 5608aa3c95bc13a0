import type { KVError } from '@strongbox/core';
import { type TableNames, tableNames } from './identifiers.js';

/** What schema setup needs from the factory. */
export interface SetupContext {
  /** Run one parameterless statement and return its rows raw (text cells as Buffers). */
  query(text: string): Promise<Buffer[][]>;
  /** The KVError for a setup failure, with `cause` sanitized and classified. */
  fail(
    code: 'TABLE_CREATION_FAILED' | 'TABLE_QUERY_FAILED',
    detail: string,
    cause?: unknown,
  ): KVError;
}

/** Where the table lives and whether setup may create it. */
export interface TableSettings {
  schema: string | undefined;
  table: string;
  unlogged: boolean;
  createTable: boolean;
}

/** Columns the adapter reads and writes, and the type `format_type` reports for each. */
const EXPECTED_COLUMNS = {
  key: 'text',
  value: 'bytea',
  expires_at: 'timestamp with time zone',
} as const;

/**
 * SQLSTATEs of a CREATE that lost a race with another process creating the same relation:
 * duplicate_table, duplicate_object, and unique_violation on the system catalogs.
 */
const ALREADY_CREATED = new Set(['42P07', '42710', '23505']);
/** insufficient_privilege: e.g. creating an index on a table the role does not own. */
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Make sure the table and its expiry index exist and have the expected shape. Looks first
 * (`to_regclass`) and creates only what is missing, so a role without CREATE privilege works
 * on an existing table (without the index, if it may not add one), and a fleet starting at once does not trip over itself: a CREATE that
 * loses the race counts as done. Throws `TABLE_QUERY_FAILED` (missing table with
 * `createTable: false`, wrong shape, failed lookups) or `TABLE_CREATION_FAILED`.
 */
export async function prepareTable(
  ctx: SetupContext,
  settings: TableSettings,
): Promise<TableNames> {
  const names = tableNames(await resolveSchema(ctx, settings.schema), settings.table);
  const [hasTable, hasIndex] = await lookup(ctx, names);
  if (!hasTable) {
    if (!settings.createTable) {
      throw ctx.fail(
        'TABLE_QUERY_FAILED',
        `table ${names.table} does not exist and createTable is false`,
      );
    }
    await create(ctx, `table ${names.table}`, createTableSql(names, settings.unlogged));
  }
  await verifyColumns(ctx, names);
  if (!hasIndex && settings.createTable) {
    // The index only speeds up purges: a role that may use a table it does not own goes on.
    const mayGoWithout = hasTable ? INSUFFICIENT_PRIVILEGE : undefined;
    await create(ctx, `index ${names.expiryIndex}`, createIndexSql(names), mayGoWithout);
  }
  return names;
}

/** The DDL of the table, for docs and migrations. */
export function createTableSql(names: TableNames, unlogged: boolean): string {
  return `CREATE ${unlogged ? 'UNLOGGED ' : ''}TABLE IF NOT EXISTS ${names.table} (
  key text COLLATE "C" PRIMARY KEY,
  value bytea NOT NULL,
  expires_at timestamptz
)`;
}

/** The DDL of the partial index that lets a purge find expired rows without a scan. */
export function createIndexSql(names: TableNames): string {
  return `CREATE INDEX IF NOT EXISTS ${names.expiryIndexName} ON ${names.table} (expires_at) WHERE expires_at IS NOT NULL`;
}

async function resolveSchema(ctx: SetupContext, schema: string | undefined): Promise<string> {
  if (schema !== undefined) return schema;
  const rows = await queryOrFail(ctx, 'SELECT current_schema()', 'reading current_schema()');
  const current = rows[0]?.[0];
  if (current === undefined || current === null) {
    throw ctx.fail(
      'TABLE_QUERY_FAILED',
      'no schema given and the search_path names no existing schema',
    );
  }
  return current.toString('utf8');
}

async function lookup(ctx: SetupContext, names: TableNames): Promise<[boolean, boolean]> {
  const rows = await queryOrFail(
    ctx,
    `SELECT to_regclass(${literal(names.table)}) IS NOT NULL, to_regclass(${literal(names.expiryIndex)}) IS NOT NULL`,
    `looking up ${names.table}`,
  );
  return [isTrue(rows[0]?.[0]), isTrue(rows[0]?.[1])];
}

/** Run `ddl`; a failure with SQLSTATE `tolerated` counts as done. */
async function create(
  ctx: SetupContext,
  what: string,
  ddl: string,
  tolerated?: string,
): Promise<void> {
  try {
    await ctx.query(ddl);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && ALREADY_CREATED.has(code)) return; // another process won
    if (code !== undefined && code === tolerated) return;
    throw ctx.fail('TABLE_CREATION_FAILED', `could not create ${what}`, error);
  }
}

/**
 * Check the columns the adapter uses, the unique key with a deterministic collation (keys are
 * compared byte for byte), and that no other column blocks inserts.
 */
async function verifyColumns(ctx: SetupContext, names: TableNames): Promise<void> {
  const rows = await queryOrFail(
    ctx,
    `SELECT a.attname, format_type(a.atttypid, a.atttypmod),
  a.attnotnull AND NOT a.atthasdef AND a.attidentity = '' AND a.attgenerated = '',
  EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = a.attrelid AND i.indisunique
    AND i.indnatts = 1 AND i.indkey[0] = a.attnum AND i.indpred IS NULL AND i.indexprs IS NULL),
  c.collname, c.collisdeterministic
FROM pg_catalog.pg_attribute a
LEFT JOIN pg_catalog.pg_collation c ON c.oid = a.attcollation
WHERE a.attrelid = ${literal(names.table)}::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    `reading the columns of ${names.table}`,
  );
  const columns = new Map(
    rows.map(([name, type, required, unique, collation, deterministic]) => [
      String(name),
      {
        type: String(type),
        required: isTrue(required),
        unique: isTrue(unique),
        collation: String(collation),
        // A collation that compares unequal strings as equal would make two keys one.
        nondeterministic:
          deterministic !== null && deterministic !== undefined && !isTrue(deterministic),
      },
    ]),
  );
  const problems: string[] = [];
  for (const [name, type] of Object.entries(EXPECTED_COLUMNS)) {
    const column = columns.get(name);
    if (column === undefined) problems.push(`no column ${name} (${type})`);
    else if (column.type !== type)
      problems.push(`column ${name} is ${column.type}, expected ${type}`);
  }
  const key = columns.get('key');
  if (key !== undefined && !key.unique) {
    problems.push('column key has no unique index (make it the primary key)');
  }
  if (key?.nondeterministic) {
    problems.push(
      `column key has the nondeterministic collation "${key.collation}", so distinct keys could match (use COLLATE "C")`,
    );
  }
  for (const [name, column] of columns) {
    if (!(name in EXPECTED_COLUMNS) && column.required) {
      problems.push(`extra column ${name} is NOT NULL without a default, so inserts would fail`);
    }
  }
  if (problems.length > 0) {
    throw ctx.fail(
      'TABLE_QUERY_FAILED',
      `table ${names.table} has the wrong shape: ${problems.join('; ')}`,
    );
  }
}

async function queryOrFail(ctx: SetupContext, text: string, what: string): Promise<Buffer[][]> {
  try {
    return await ctx.query(text);
  } catch (error) {
    throw ctx.fail('TABLE_QUERY_FAILED', `failed ${what}`, error);
  }
}

/** A SQL string literal (the names are validated, but the default schema comes from the server). */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function isTrue(cell: Buffer | undefined | null): boolean {
  return cell?.[0] === 0x74; // 't'
}
