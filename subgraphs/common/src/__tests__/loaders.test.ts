import { groupLoader, rowLoader } from '../loaders';

describe('loaders', () => {
  it('batches the keys of one tick into one fetch and answers in key order, null for a miss', async () => {
    const calls: string[][] = [];
    const loader = rowLoader(
      async (keys: readonly string[]) => {
        calls.push([...keys]);
        return keys.filter((k) => k !== 'b').reverse().map((id) => ({ id }));
      },
      (row) => row.id,
    );
    const results = await Promise.all([loader.load('a'), loader.load('b'), loader.load('c'), loader.load('a')]);
    expect(calls).toEqual([['a', 'b', 'c']]);
    expect(results).toEqual([{ id: 'a' }, null, { id: 'c' }, { id: 'a' }]);
  });

  it('groups many rows per key, keeping the fetch order inside each group', async () => {
    const loader = groupLoader(
      async () => [
        { p: 'x', n: 1 },
        { p: 'y', n: 2 },
        { p: 'x', n: 3 },
      ],
      (row) => row.p,
    );
    expect(await loader.loadMany(['x', 'y', 'z'])).toEqual([[{ p: 'x', n: 1 }, { p: 'x', n: 3 }], [{ p: 'y', n: 2 }], []]);
  });
});
