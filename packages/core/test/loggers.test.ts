import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AsyncLogger,
  CSVLogger,
  Dispatcher,
  GatedFilter,
  InMemoryLogger,
  JSONLLogger,
  KeyFilter,
  makeDefaultLogger,
  NoneFilter,
  serialize,
  TerminalLogger,
  TimeFilter,
} from '../src/index.js';
import { pythonTitle } from '../src/loggers/format.js';

const dir = mkdtempSync(join(tmpdir(), 'acme-loggers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TerminalLogger (acme/utils/loggers/terminal_test.py)', () => {
  it('sorts keys, title-cases them and prints floats with 3 decimals', () => {
    const lines: string[] = [];
    const logger = new TerminalLogger({ printFn: (l) => lines.push(l) });
    logger.write({ c: 'foo', a: 1337, b: 42.0001 });
    expect(lines).toEqual(['A = 1337 | B = 42.000 | C = foo']);
  });

  it('prefixes the title-cased label', () => {
    const lines: string[] = [];
    const logger = new TerminalLogger({ label: 'test', printFn: (l) => lines.push(l) });
    logger.write({ foo: 'bar', baz: 123 });
    expect(lines).toEqual(['[Test] Baz = 123 | Foo = bar']);
  });

  it('splits snake_case keys into words like Python title()', () => {
    expect(serialize({ episode_return: 1.5, actor_steps: 10, 'action[0]_p50': 0.25 })).toBe(
      'Action[0] P50 = 0.250 | Actor Steps = 10 | Episode Return = 1.500',
    );
    expect(pythonTitle('environment_loop'.replace('_', ' '))).toBe('Environment Loop');
    expect(pythonTitle('hELLO 2nd')).toBe('Hello 2Nd');
    expect(serialize({ x: Float32Array.of(1, 2.5), n: Number.NaN, i: Number.POSITIVE_INFINITY })).toBe(
      'I = inf | N = nan | X = [1 2.500]',
    );
  });

  it('drops writes within timeDelta', () => {
    const lines: string[] = [];
    const logger = new TerminalLogger({ printFn: (l) => lines.push(l), timeDelta: 3600 });
    logger.write({ a: 1 });
    expect(lines).toEqual([]);
  });
});

describe('filters (acme/utils/loggers/filters_test.py)', () => {
  it('GatedFilter.logarithmic(n=10) keeps 0..9, 10, 20, ..., 90', () => {
    const sink = new InMemoryLogger();
    const logger = GatedFilter.logarithmic(sink, 10);
    for (let t = 0; t < 100; t++) logger.write({ t });
    expect(sink.data.map((d) => d.t)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90,
    ]);
    for (let t = 100; t < 1001; t++) logger.write({ t });
    expect(sink.data.slice(19).map((d) => d.t)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('GatedFilter.periodic(10) keeps 0, 10, ..., 90', () => {
    const sink = new InMemoryLogger();
    const logger = GatedFilter.periodic(sink, 10);
    for (let t = 0; t < 100; t++) logger.write({ t });
    expect(sink.data.map((d) => d.t)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('TimeFilter drops writes within the delta', () => {
    let now = 100;
    const sink = new InMemoryLogger();
    const logger = new TimeFilter(sink, 0.1, () => now);
    logger.write({ i: 0 });
    now += 0.05;
    logger.write({ i: 1 });
    now += 0.06;
    logger.write({ i: 2 });
    expect(sink.data.map((d) => d.i)).toEqual([0, 2]);
    expect(() => new TimeFilter(sink, -1)).toThrow(RangeError);
  });

  it('KeyFilter keeps or drops keys, and needs exactly one of them', () => {
    const kept = new InMemoryLogger();
    new KeyFilter(kept, { keep: ['a', 'c'] }).write({ a: 1, b: 2, c: 3 });
    expect(kept.data).toEqual([{ a: 1, c: 3 }]);
    const dropped = new InMemoryLogger();
    new KeyFilter(dropped, { drop: ['a'] }).write({ a: 1, b: 2 });
    expect(dropped.data).toEqual([{ b: 2 }]);
    expect(() => new KeyFilter(kept, {})).toThrow(/exactly one/);
    expect(() => new KeyFilter(kept, { keep: ['a'], drop: ['b'] })).toThrow(/exactly one/);
  });

  it('NoneFilter drops null and undefined values', () => {
    const sink = new InMemoryLogger();
    new NoneFilter(sink).write({ a: null, b: 0, c: undefined, d: 'x' });
    expect(sink.data).toEqual([{ b: 0, d: 'x' }]);
  });
});

describe('Dispatcher, AsyncLogger, makeDefaultLogger', () => {
  it('Dispatcher writes to every logger and closes them', () => {
    const a = new InMemoryLogger();
    const b = new InMemoryLogger();
    const logger = new Dispatcher([a, b], (v) => ({ ...v, extra: true }));
    logger.write({ x: 1 });
    expect(a.data).toEqual([{ x: 1, extra: true }]);
    expect(b.data).toEqual(a.data);
  });

  it('AsyncLogger writes between event-loop turns, and at once when its queue fills', async () => {
    const sink = new InMemoryLogger();
    const logger = new AsyncLogger(sink, { maxQueueSize: 3 });
    logger.write({ i: 0 });
    logger.write({ i: 1 });
    expect(sink.data).toEqual([]);
    expect(logger.pending).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sink.data.map((d) => d.i)).toEqual([0, 1]);
    logger.write({ i: 2 });
    logger.write({ i: 3 });
    logger.write({ i: 4 });
    expect(sink.data.map((d) => d.i)).toEqual([0, 1, 2, 3, 4]);
    logger.write({ i: 5 });
    logger.close();
    expect(sink.data.map((d) => d.i)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => logger.write({ i: 6 })).toThrow(/after close/);
  });

  it('makeDefaultLogger prints the first record, drops None values and throttles', () => {
    const lines: string[] = [];
    const logger = makeDefaultLogger('actor', { printFn: (l) => lines.push(l) });
    logger.write({ episode_return: 2.5, skipped: null });
    logger.write({ episode_return: 3 });
    expect(lines).toEqual(['[Actor] Episode Return = 2.500']);
    const everything: string[] = [];
    const unthrottled = makeDefaultLogger('x', { printFn: (l) => everything.push(l), timeDelta: 0 });
    unthrottled.write({ a: 1 });
    unthrottled.write({ a: 2 });
    expect(everything).toHaveLength(2);
  });
});

describe('file loggers', () => {
  it('CSVLogger: sorted header from the first write, extra keys ignored, header once per file', () => {
    const logger = new CSVLogger({ directory: dir, label: 'train', addUid: false });
    expect(logger.filePath).toBe(join(dir, 'logs', 'train', 'logs.csv'));
    logger.write({ b: 2, a: 'x,y' });
    logger.write({ a: 3, b: 4.5, c: 9 });
    logger.write({ b: 5 });
    logger.close();
    const again = new CSVLogger({ file: logger.filePath });
    again.write({ a: 7, b: 8 });
    again.close();
    expect(readFileSync(logger.filePath, 'utf8')).toBe('a,b\r\n"x,y",2\r\n3,4.5\r\n,5\r\n7,8\r\n');
    expect(() => new CSVLogger({ file: join(dir, 'x.csv'), flushEvery: 0 })).toThrow(RangeError);
  });

  it('JSONLLogger: one object per line, typed arrays as arrays', () => {
    const logger = new JSONLLogger({ directory: dir, label: 'eval', addUid: true });
    expect(logger.filePath).toMatch(/logs[/\\]eval[/\\]logs\.jsonl$/);
    logger.write({ episode_return: Float32Array.of(1, 2), steps: 3, bad: Number.NaN });
    logger.write({ nested: { a: 1 } });
    logger.close();
    const lines = readFileSync(logger.filePath, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { episode_return: [1, 2], steps: 3, bad: 'NaN' },
      { nested: { a: 1 } },
    ]);
  });
});
