/**
 * Text files of a run folder (run.json, summary.json, the curve, the episode logs when a resume
 * cuts them back) are replaced atomically: a crash leaves the old file or the new one, never half.
 */
import { writeFileAtomic } from '@acme-ts/core';

export async function writeTextAtomic(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, [new TextEncoder().encode(text)]);
}
