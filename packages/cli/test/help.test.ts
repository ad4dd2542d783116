import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main, UsageError } from '../src/main.js';

async function output(argv: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(argv, (l) => lines.push(l));
  return { code, text: lines.join('\n') };
}

describe('acme help and version', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-v', 'version']) {
      expect(await output([flag])).toEqual({ code: 0, text: `acme-ts ${version}` });
    }
  });

  it('COMMAND --help prints that command only', async () => {
    const train = await output(['train', '--help']);
    expect(train.code).toBe(0);
    expect(train.text).toMatch(/^usage: acme train dqn --env /);
    expect(train.text).toContain('--resume-or-start');
    expect(train.text).not.toContain('evaluate RUN_DIR');
    expect((await output(['evaluate', '-h'])).text).toBe(
      "usage: acme evaluate RUN_DIR [--episodes N] [--seed S]\n  greedy return of a trained run's saved model",
    );
    await expect(main(['fly'])).rejects.toThrow(UsageError);
  });
});
