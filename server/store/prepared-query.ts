/**
 * A hot query, built with Kysely and compiled once, then run with new values: a call costs an
 * array of parameters instead of building, freezing and compiling a query tree. Callers still
 * write Kysely builders, so the SQL is the dialect's own (docs/store.md).
 *
 *   const messageByWamid = prepareQuery((db, v: { wamid: string }) =>
 *     db.selectFrom('messages').select('id').where('wamid', '=', v.wamid));
 *   const row = await messageByWamid.first(trx, { wamid });
 *
 * The builder runs once, with stand-ins for the values. Compiling checks that each stand-in
 * became a bound parameter and that none was turned into text inside the SQL (a stand-in made
 * text leaves a marker): the SQL text is then fixed, and each run's values go only into the
 * parameter array (test/server/prepared-query.test.ts watches the statements SQLite receives).
 * The shape of the query is fixed: a value that would change it (an optional column, a list)
 * needs a query of its own. A query is compiled once per dialect it runs on (the SQL of SQLite and
 * PostgreSQL differ, `?` against `$1`), for the dialect of the database it is given.
 */
import { createQueryId } from 'kysely';
import type { CompiledQuery, Kysely, QueryResult, RootOperationNode } from 'kysely';
import type { InboxDatabase } from './schema.js';
import { compileOnlyDatabases, dialectOf } from './sql-dialect.js';
import type { StoreDialect } from './sql-dialect.js';

/** Marks a stand-in turned into text: no SQL the builders write contains it. */
const SPLICE_MARKER = `\u27e6value-slot-${Math.random().toString(36).slice(2)}:`;

/**
 * Stands in for the named value while the query is built. Turned into text (a template string,
 * `sql.raw`, JSON.stringify) it leaves its marker, which compiling looks for in the SQL text.
 */
class ValueSlot {
  constructor(readonly name: string) {}

  toString(): string {
    return `${SPLICE_MARKER}${this.name}\u27e7`;
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.toPrimitive](): string {
    return this.toString();
  }
}

/** A query builder, or a raw `sql` template (standard SQL the builders do not cover, such as savepoints). */
export interface BuiltQuery<O> {
  compile(db: Kysely<InboxDatabase>): CompiledQuery<O>;
}

type QueryBuild<V, O> = (db: Kysely<InboxDatabase>, values: V) => BuiltQuery<O>;

interface CompiledTemplate {
  readonly query: RootOperationNode;
  readonly sql: string;
  /** For each parameter: the name of the value that goes there, or undefined for a constant. */
  readonly slots: ReadonlyArray<string | undefined>;
  readonly constants: readonly unknown[];
}

export class PreparedQuery<V extends object, O> {
  readonly #build: QueryBuild<V, O>;
  readonly #templates: Partial<Record<StoreDialect, CompiledTemplate>> = {};

  constructor(build: QueryBuild<V, O>) {
    this.#build = build;
  }

  /** Runs the query on `db` (the transaction) with `values`. */
  async execute(db: Kysely<InboxDatabase>, values: V): Promise<QueryResult<O>> {
    const dialect = dialectOf(db);
    const template = (this.#templates[dialect] ??= this.#compile(dialect));
    const parameters = new Array<unknown>(template.slots.length);
    for (let i = 0; i < parameters.length; i += 1) {
      const name = template.slots[i];
      parameters[i] = name === undefined ? template.constants[i] : valueOf(values, name);
    }
    return await db.executeQuery<O>({ query: template.query, queryId: createQueryId(), sql: template.sql, parameters });
  }

  async all(db: Kysely<InboxDatabase>, values: V): Promise<O[]> {
    return (await this.execute(db, values)).rows;
  }

  async first(db: Kysely<InboxDatabase>, values: V): Promise<O | undefined> {
    return (await this.execute(db, values)).rows[0];
  }

  async firstOrThrow(db: Kysely<InboxDatabase>, values: V): Promise<O> {
    const row = await this.first(db, values);
    if (row === undefined) throw new Error(`The query returned no row: ${this.#templates[dialectOf(db)]?.sql ?? ''}`);
    return row;
  }

  /** Rows inserted, updated or deleted. */
  async affected(db: Kysely<InboxDatabase>, values: V): Promise<bigint> {
    return (await this.execute(db, values)).numAffectedRows ?? 0n;
  }

  #compile(dialect: StoreDialect): CompiledTemplate {
    const compileOnlyDatabase = compileOnlyDatabases[dialect];
    const used = new Set<string>();
    const stand = new Proxy({} as V, {
      get: (_target, name) => {
        if (typeof name !== 'string') return undefined;
        used.add(name);
        return new ValueSlot(name);
      },
    });
    const compiled = this.#build(compileOnlyDatabase, stand).compile(compileOnlyDatabase);
    const slots = compiled.parameters.map((parameter) => (parameter instanceof ValueSlot ? parameter.name : undefined));
    const bound = new Set(slots);
    const lost = [...used].filter((name) => !bound.has(name));
    if (lost.length > 0) throw new Error(`Prepared query: ${lost.join(', ')} did not become bound parameters in: ${compiled.sql}`);
    const spliced = [...used].filter((name) => compiled.sql.includes(`${SPLICE_MARKER}${name}\u27e7`));
    if (spliced.length > 0)
      throw new Error(`Prepared query: ${spliced.join(', ')} was spliced into the SQL text (bind it as a value instead): ${compiled.sql}`);
    return { query: compiled.query, sql: compiled.sql, slots, constants: compiled.parameters };
  }
}

export function prepareQuery<V extends object, O>(build: QueryBuild<V, O>): PreparedQuery<V, O> {
  return new PreparedQuery(build);
}

function valueOf(values: object, name: string): unknown {
  const value = (values as Record<string, unknown>)[name];
  // undefined would make Kysely leave a column out; a prepared query has fixed columns.
  if (value === undefined) throw new TypeError(`Prepared query: no value for "${name}" (use null for none).`);
  return value;
}

/**
 * One prepared query per shape, for a query whose shape depends on a few flags (which columns
 * an update sets): each shape is compiled the first time it is asked for.
 */
export function prepareQueryShapes<K extends string | number | boolean, V extends object, O>(
  build: (shape: K) => QueryBuild<V, O>,
): (shape: K) => PreparedQuery<V, O> {
  const shapes = new Map<K, PreparedQuery<V, O>>();
  return (shape) => {
    let query = shapes.get(shape);
    if (query === undefined) {
      query = new PreparedQuery(build(shape));
      shapes.set(shape, query);
    }
    return query;
  };
}
