/**
 * Which schemas of the client API can hold a customer (common/api/inbox.ts `Customer`), found by
 * walking the zod schemas themselves: so a new route or feed event that carries one is found
 * without a list kept by hand.
 */
import type { z } from 'zod';
import { Customer } from '../../../common/api/inbox.js';

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly items?: readonly z.ZodType[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Whether a value of `schema` can hold a Customer anywhere in it. */
export function holdsCustomer(schema: z.ZodType | undefined, seen = new Set<z.ZodType>()): boolean {
  if (schema === undefined || seen.has(schema)) return false;
  if (schema === Customer) return true;
  seen.add(schema);
  const def = defOf(schema);
  const parts: Array<z.ZodType | undefined> = [
    ...Object.values(def.shape ?? {}),
    def.element,
    def.innerType,
    ...(def.options ?? []),
    def.in,
    def.out,
    def.valueType,
    ...(def.items ?? []),
    def.left,
    def.right,
    def.type === 'lazy' && def.getter !== undefined ? def.getter() : undefined,
  ];
  return parts.some((part) => holdsCustomer(part, seen));
}
