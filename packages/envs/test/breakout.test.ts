import { inflateSync } from 'node:zlib';
import { checkEnvironment, StepType } from '@acme-ts/core';
import { describe, expect, it } from 'vitest';
import {
  BRICK_COLORS,
  Breakout,
  BreakoutGame,
  crc32,
  encodePng,
  PADDLE_COLOR,
  WALL_COLOR,
} from '../src/index.js';

const NOOP = 0;
const FIRE = 1;
const RIGHT = 2;
const LEFT = 3;

function pixel(frame: Uint8Array, y: number, x: number): number[] {
  const i = (y * 160 + x) * 3;
  return [frame[i]!, frame[i + 1]!, frame[i + 2]!];
}

function screen(env: Breakout): Uint8Array {
  const out = new Uint8Array(210 * 160 * 3);
  env.getScreenRGB(out);
  return out;
}

/** Follows the ball with the paddle, serving when no ball is in play. */
function tracker(game: BreakoutGame): number {
  if (!game.ballInPlay) return FIRE;
  const target = game.ballX + 1 - game.paddleWidth / 2;
  return target > game.paddleX + 2 ? RIGHT : target < game.paddleX - 2 ? LEFT : NOOP;
}

describe('Breakout screen', () => {
  it('is 210x160 RGB with grey walls, six coloured brick rows, a red paddle and black background', () => {
    const env = new Breakout({ seed: 0 });
    const frame = env.reset().observation;
    expect(frame.length).toBe(210 * 160 * 3);
    expect(env.observationSpec().shape).toEqual([210, 160, 3]);
    expect(pixel(frame, 20, 80)).toEqual([...WALL_COLOR]); // top wall
    expect(pixel(frame, 100, 3)).toEqual([...WALL_COLOR]); // left wall
    expect(pixel(frame, 100, 156)).toEqual([...WALL_COLOR]); // right wall
    BRICK_COLORS.forEach((color, row) => {
      expect(pixel(frame, 57 + 6 * row + 2, 8)).toEqual([...color]);
      expect(pixel(frame, 57 + 6 * row + 2, 151)).toEqual([...color]);
    });
    expect(pixel(frame, 100, 80)).toEqual([0, 0, 0]);
    expect(pixel(frame, 190, 80)).toEqual([...PADDLE_COLOR]);
    expect(pixel(frame, 50, 80)).toEqual([0, 0, 0]); // gap between the top wall and the bricks
  });

  it('shows the score and the lives in grey digits', () => {
    const env = new Breakout({ seed: 0 });
    const countGrey = (frame: Uint8Array) => {
      let n = 0;
      for (let y = 0; y < 17; y++) for (let x = 0; x < 160; x++) if (pixel(frame, y, x)[0] === 142) n++;
      return n;
    };
    const before = countGrey(env.reset().observation);
    expect(before).toBeGreaterThan(0);
    const g = env.game;
    g.bricks.fill(0);
    g.bricks[5 * 18] = 1;
    g.placeBall(9, 94, 1, -1);
    env.act(NOOP);
    expect(g.score).toBe(1);
    expect(countGrey(screen(env))).not.toBe(before);
  });

  it('draws the ball only while it is in play', () => {
    const env = new Breakout({ seed: 0 });
    env.reset();
    const idle = screen(env);
    env.game.placeBall(40, 150, 1, 1);
    const withBall = screen(env);
    expect(pixel(idle, 151, 40)).toEqual([0, 0, 0]);
    expect(pixel(withBall, 151, 40)).toEqual([200, 72, 72]);
    expect(() => env.getScreenRGB(new Uint8Array(10))).toThrow(RangeError);
  });
});

describe('Breakout rules', () => {
  it('starts with 5 lives and no ball; NOOP idles without reward or loss', () => {
    const env = new Breakout({ seed: 1 });
    env.reset();
    expect(env.lives()).toBe(5);
    expect(env.game.ballInPlay).toBe(false);
    let reward = 0;
    for (let i = 0; i < 2000; i++) reward += env.act(NOOP);
    expect([reward, env.lives(), env.gameOver(), env.game.ballInPlay]).toEqual([0, 5, false, false]);
  });

  it('FIRE serves a ball downward from below the wall', () => {
    const env = new Breakout({ seed: 1 });
    env.reset();
    env.act(FIRE);
    const g = env.game;
    expect(g.ballInPlay).toBe(true);
    expect(g.ballY).toBeGreaterThan(93);
    expect(g.ballVelocity[1]).toBeGreaterThan(0);
  });

  it('bricks are worth 1, 1, 4, 4, 7, 7 from the bottom row up and reflect the ball', () => {
    for (const [row, points] of [
      [5, 1],
      [4, 1],
      [3, 4],
      [2, 4],
      [1, 7],
      [0, 7],
    ] as const) {
      const game = new BreakoutGame(0);
      game.bricks.fill(0);
      game.bricks[row * 18 + 3] = 1;
      const bottomOfBrick = 57 + 6 * (row + 1);
      game.placeBall(8 + 3 * 8 + 3, bottomOfBrick + 0.5, 1, -1);
      expect(game.act(NOOP), `row ${row}`).toBe(points);
      expect(game.bricks[row * 18 + 3]).toBe(0);
      expect(game.ballVelocity[1]).toBeGreaterThan(0);
      expect(game.score).toBe(points);
    }
  });

  it('the paddle sends the ball back up, at an angle set by where it hits', () => {
    const bounce = (offset: number) => {
      const game = new BreakoutGame(0);
      game.placePaddle(72);
      game.placeBall(72 + offset, 184.5, 1, 1);
      game.act(NOOP);
      return game.ballVelocity;
    };
    const [leftEdgeX, leftEdgeY] = bounce(-1);
    const [centreX, centreY] = bounce(7);
    const [rightEdgeX] = bounce(15);
    expect(leftEdgeY).toBeLessThan(0);
    expect(centreY).toBeLessThan(0);
    expect(leftEdgeX).toBeLessThan(0);
    expect(rightEdgeX).toBeGreaterThan(0);
    expect(Math.abs(leftEdgeX)).toBeGreaterThan(Math.abs(centreX));
  });

  it('a missed ball costs a life; the fifth ends the game with a termination', () => {
    const env = new Breakout({ seed: 2 });
    env.reset();
    let ts = env.step(FIRE);
    const lives: number[] = [];
    while (!ts.last()) {
      // Park the paddle in a corner away from the ball: every ball is missed.
      const g = env.game;
      ts = env.step(!g.ballInPlay ? FIRE : g.ballX < 80 ? RIGHT : LEFT);
      if (lives[lives.length - 1] !== env.lives()) lives.push(env.lives());
    }
    expect(lives).toEqual([5, 4, 3, 2, 1, 0]);
    expect([ts.stepType, ts.discount]).toEqual([StepType.LAST, 0]);
    expect(env.gameOver()).toBe(true);
    expect(env.step(NOOP).stepType).toBe(StepType.FIRST);
    expect(env.lives()).toBe(5);
  });

  it('speeds up after 4 and 12 bricks and on orange and red bricks', () => {
    const game = new BreakoutGame(0);
    const hitBrick = (row: number, col: number) => {
      game.placeBall(8 + col * 8 + 3, 57 + 6 * (row + 1) + 0.5, 1, -1);
      expect(game.act(NOOP)).toBeGreaterThan(0);
    };
    expect(game.speedLevel).toBe(0);
    for (let c = 0; c < 4; c++) hitBrick(5, c);
    expect(game.speedLevel).toBe(1);
    for (let c = 4; c < 12; c++) hitBrick(5, c);
    expect(game.speedLevel).toBe(2);
    game.bricks.fill(0, 2 * 18, 6 * 18);
    hitBrick(1, 0);
    expect(game.speedLevel).toBe(3);
    game.bricks.fill(0, 18, 2 * 18);
    hitBrick(0, 0);
    expect(game.speedLevel).toBe(4);
    expect(Math.abs(game.ballVelocity[1])).toBe(4);
  });

  it('the paddle halves when the ball reaches the top wall, and grows back after a lost ball', () => {
    const game = new BreakoutGame(0);
    game.bricks.fill(0);
    game.placeBall(80, 33, 1, -1);
    game.act(NOOP);
    expect(game.paddleWidth).toBe(8);
    game.placeBall(20, 195, 1, 1);
    game.placePaddle(120);
    game.act(NOOP);
    expect(game.lives).toBe(4);
    expect(game.paddleWidth).toBe(16);
  });

  it('a cleared wall is rebuilt at the next paddle hit; clearing the second ends the game', () => {
    const game = new BreakoutGame(0);
    const clearAllBut = (keep: number) => {
      for (let i = 0; i < 108; i++) if (i !== keep) game.bricks[i] = 0;
    };
    clearAllBut(5 * 18);
    game.placeBall(11, 93.5, 1, -1);
    game.act(NOOP);
    expect(game.bricksLeft).toBe(0);
    expect(game.wall).toBe(1);
    game.placePaddle(72);
    game.placeBall(79, 184.5, 1, 1);
    game.act(NOOP);
    expect([game.bricksLeft, game.wall]).toEqual([108, 2]);
    clearAllBut(5 * 18);
    game.placeBall(11, 93.5, 1, -1);
    game.act(NOOP);
    expect(game.gameOver).toBe(true);
    expect(game.act(FIRE)).toBe(0);
  });

  it('truncates at maxEpisodeFrames (discount 1)', () => {
    const env = new Breakout({ seed: 0, maxEpisodeFrames: 10 });
    env.reset();
    let ts = env.step(NOOP);
    for (let i = 1; i < 10; i++) ts = env.step(NOOP);
    expect([ts.stepType, ts.discount]).toEqual([StepType.LAST, 1]);
  });

  it('is a learnable game: following the ball scores far more than acting at random', () => {
    const play = (policy: (g: BreakoutGame, t: number) => number, seed: number) => {
      const env = new Breakout({ seed });
      env.resetGame();
      let score = 0;
      let action = NOOP;
      for (let frame = 0; frame < 20_000 && !env.gameOver(); frame++) {
        if (frame % 4 === 0) action = policy(env.game, frame);
        score += env.act(action);
      }
      return score;
    };
    let random = 0;
    let tracking = 0;
    for (let seed = 0; seed < 5; seed++) {
      let s = seed * 7919 + 1;
      random += play(() => {
        s = (s * 1103515245 + 12345) % 2147483648;
        return s % 4;
      }, seed);
      tracking += play(tracker, seed);
    }
    expect(tracking).toBeGreaterThan(10 * Math.max(random, 1));
  });

  it('same seed, same game; another seed, other serves', () => {
    const serves = (seed: number) => {
      const game = new BreakoutGame(seed);
      return Array.from({ length: 5 }, () => {
        game.reset();
        game.act(FIRE);
        return [game.ballX, ...game.ballVelocity];
      });
    };
    expect(serves(3)).toEqual(serves(3));
    expect(serves(3)).not.toEqual(serves(4));
  });

  it('keeps the dm_env contract', () => {
    const report = checkEnvironment({
      make: (seed) => new Breakout({ seed, maxEpisodeFrames: 60 }),
      steps: 130,
    });
    expect(report.episodes).toBe(2);
  });
});

describe('rendering for people', () => {
  it('encodes a PNG that decodes back to the frame', () => {
    const env = new Breakout({ seed: 0 });
    const frame = env.reset().observation;
    const png = env.renderPng(1);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect([view.getUint32(16), view.getUint32(20), png[24], png[25]]).toEqual([160, 210, 8, 2]);
    // Walk the chunks, check each CRC, gather IDAT.
    let offset = 8;
    const idat: Uint8Array[] = [];
    const types: string[] = [];
    while (offset < png.length) {
      const length = view.getUint32(offset);
      const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
      types.push(type);
      const crc = view.getUint32(offset + 8 + length);
      expect(crc32(png.subarray(offset + 4, offset + 8 + length)) ^ 0xffffffff).toBe(crc | 0);
      if (type === 'IDAT') idat.push(png.subarray(offset + 8, offset + 8 + length));
      offset += 12 + length;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
    const raw = inflateSync(Buffer.concat(idat));
    expect(raw.length).toBe(210 * (160 * 3 + 1));
    for (let y = 0; y < 210; y++) {
      expect(raw[y * 481]).toBe(0);
      expect(
        Buffer.from(raw.subarray(y * 481 + 1, (y + 1) * 481)).equals(
          Buffer.from(frame.subarray(y * 480, (y + 1) * 480)),
        ),
      ).toBe(true);
    }
    expect(() => encodePng(new Uint8Array(5), 2, 2)).toThrow(RangeError);
    expect(encodePng(new Uint8Array(4), 2, 2, { channels: 1, scale: 3 })[25]).toBe(0);
  });

  it('renders text with the score, lives and the six brick rows', () => {
    const env = new Breakout({ seed: 0 });
    env.reset();
    const text = env.renderText();
    expect(text.split('\n')[0]).toBe('score 0  lives 5  wall 1');
    for (const letter of 'ROAYGB') expect(text).toContain(letter.repeat(36));
    expect(text).toContain('====');
  });
});
