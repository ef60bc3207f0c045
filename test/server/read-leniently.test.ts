/**
 * The lenient reader gives up the smallest piece it must: a field of the wrong type, else the
 * list element holding a field it cannot do without, else the whole part; and it names what it
 * left out by its place in the payload as sent, with its JSON text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readLeniently } from '../../server/webhooks/read-leniently.js';

const Shape = z.looseObject({
  title: z.string(),
  note: z.string().optional(),
  items: z.array(z.looseObject({ id: z.string(), count: z.number().optional() })).optional(),
});

describe('readLeniently', () => {
  it('leaves out an optional field of the wrong type and keeps the rest', () => {
    const read = readLeniently(Shape, { title: 'kept', note: 7, extra: true }, ['part']);
    expect(read).toEqual({ ok: true, data: { title: 'kept', extra: true }, unreadable: [{ path: 'part.note', found: 'number', raw: '7' }] });
  });

  it('leaves out the list element whose required field cannot be read, and names later ones by their original index', () => {
    const value = { title: 't', items: [{ id: 1 }, { id: 'b', count: 'x' }, { count: 2 }, { id: 'd' }] };
    const read = readLeniently(Shape, value, []);
    expect(read.ok).toBe(true);
    expect(read.ok && read.data.items).toEqual([{ id: 'b' }, { id: 'd' }]);
    expect(read.unreadable).toEqual([
      { path: 'items.0', found: 'object', raw: '{"id":1}' },
      { path: 'items.1.count', found: 'string', raw: '"x"' },
      { path: 'items.2', found: 'object', raw: '{"count":2}' },
    ]);
  });

  it('gives up the whole part when a field it cannot do without is in no list', () => {
    expect(readLeniently(Shape, { title: 42, note: 'n' }, ['part'])).toEqual({
      ok: false,
      unreadable: [{ path: 'part', found: 'object', raw: '{"title":42,"note":"n"}' }],
    });
    expect(readLeniently(Shape, 'not an object', ['part'])).toEqual({ ok: false, unreadable: [{ path: 'part', found: 'string', raw: '"not an object"' }] });
  });

  it('never changes the value it was given', () => {
    const value = { title: 't', items: [{ id: 1 }] };
    const copy = structuredClone(value);
    readLeniently(Shape, value, []);
    expect(value).toEqual(copy);
  });

  it('on any JSON: never throws, and whatever it reads parses, and every path it names holds the raw it reports', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const read = readLeniently(Shape, value, []);
        if (read.ok) expect(Shape.safeParse(read.data).success).toBe(true);
        for (const part of read.unreadable) {
          const at = part.path === '' ? value : part.path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], value);
          expect(part.raw).toBe(at === undefined ? undefined : JSON.stringify(at));
        }
      }),
      { numRuns: 300 },
    );
  });
});
