/**
 * The Arcade Learning Environment's view of a game, frame by frame: what AtariWrapper drives.
 * Breakout implements it; any other ALE-like game (an emulator binding, another remake) can too.
 * Actions are indices into the game's minimal action set, 0 being NOOP.
 */
export interface AtariGame {
  /** Screen height in pixels (210 for the Atari 2600). */
  readonly screenHeight: number;
  /** Screen width in pixels (160 for the Atari 2600). */
  readonly screenWidth: number;
  /** Size of the minimal action set. */
  readonly numActions: number;
  /** Starts a new game (ALE `reset_game`). */
  resetGame(): void;
  /** Emulates one frame under `action` and returns the reward of that frame (ALE `act`). */
  act(action: number): number;
  /** Whether the game has ended (ALE `game_over`). */
  gameOver(): boolean;
  /** Lives left, the ball in play included (ALE `lives`). */
  lives(): number;
  /** Writes the screen, H x W x 3 RGB row-major, into `out` (ALE `getScreenRGB`). */
  getScreenRGB(out: Uint8Array): void;
}

export function isAtariGame(value: unknown): value is AtariGame {
  if (value === null || typeof value !== 'object') return false;
  const g = value as Record<string, unknown>;
  return (
    typeof g.screenHeight === 'number' &&
    typeof g.screenWidth === 'number' &&
    typeof g.numActions === 'number' &&
    ['resetGame', 'act', 'gameOver', 'lives', 'getScreenRGB'].every((m) => typeof g[m] === 'function')
  );
}
