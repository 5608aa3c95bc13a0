import type postgres from 'postgres';

/**
 * Lock `key`'s row of `table` (`FOR UPDATE`) in a transaction of `sql`, and keep it until the
 * returned function is called; that function resolves once the transaction has ended.
 * Resolves once the lock is held.
 */
export async function holdRowLock(
  sql: postgres.Sql,
  table: string,
  key: string,
): Promise<() => Promise<void>> {
  return holdLock(sql, `SELECT 1 FROM ${table} WHERE key = $1 FOR UPDATE`, [key]);
}

/** Run `statement` in a transaction of `sql` and keep the transaction open until released. */
async function holdLock(
  sql: postgres.Sql,
  statement: string,
  params: string[],
): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held!: () => void;
  const isHeld = new Promise<void>((resolve) => {
    held = resolve;
  });
  const transaction = sql.begin(async (tx) => {
    await tx.unsafe(statement, params);
    held();
    await released;
  });
  await Promise.race([isHeld, transaction]);
  return async () => {
    release();
    await transaction;
  };
}

/** Like {@link holdRowLock}, for an ACCESS EXCLUSIVE lock on the whole of `table`. */
export async function holdTableLock(
  sql: postgres.Sql,
  table: string,
): Promise<() => Promise<void>> {
  return holdLock(sql, `LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`, []);
}
