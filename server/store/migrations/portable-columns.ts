/**
 * Column shapes used by every migration, kept in one place so the schema stays portable:
 * a PostgreSQL dialect changes these helpers, not the migrations that call them.
 */
import type { ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely';

/** An ever-increasing integer key (SQLite AUTOINCREMENT never reuses a deleted id). */
export function withId<T extends string>(table: CreateTableBuilder<T>): CreateTableBuilder<T, 'id'> {
  return table.addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement());
}

/** Epoch milliseconds. */
export const TIME = 'bigint';

export const notNull = (col: ColumnDefinitionBuilder): ColumnDefinitionBuilder => col.notNull();
