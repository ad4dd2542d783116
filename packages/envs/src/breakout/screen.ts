/**
 * Draws a BreakoutGame the way the Atari 2600 shows it: 210 x 160 RGB with the NTSC palette
 * colours of the original (grey walls and digits, six brick rows red to blue, a red paddle and
 * ball, black background). The walls are drawn once into a background that every frame starts
 * from; bricks are copied as runs from prepared coloured lines, so a frame costs a few copies.
 */
import {
  BALL_HEIGHT,
  BALL_WIDTH,
  BRICK_COLUMNS,
  BRICK_HEIGHT,
  BRICK_ROWS,
  BRICK_WIDTH,
  BRICKS_TOP,
  type BreakoutGame,
  FIELD_LEFT,
  FIELD_RIGHT,
  FIELD_TOP,
  PADDLE_HEIGHT,
  PADDLE_TOP,
  SCREEN_HEIGHT,
  SCREEN_WIDTH,
  TOP_WALL_TOP,
  WALL_BOTTOM,
} from './game.js';

export type RGB = readonly [number, number, number];

export const WALL_COLOR: RGB = [142, 142, 142];
/** Brick colours, top row first. */
export const BRICK_COLORS: readonly RGB[] = [
  [200, 72, 72],
  [198, 108, 58],
  [180, 122, 48],
  [162, 162, 42],
  [72, 160, 72],
  [66, 72, 200],
];
export const PADDLE_COLOR: RGB = [200, 72, 72];
export const BALL_COLOR: RGB = [200, 72, 72];

export const FRAME_BYTES = SCREEN_HEIGHT * SCREEN_WIDTH * 3;
const ROW_BYTES = SCREEN_WIDTH * 3;

/** 4 x 5 digit glyphs, one 4-bit row per entry (most significant bit leftmost). */
const DIGITS: readonly (readonly number[])[] = [
  [0b1111, 0b1001, 0b1001, 0b1001, 0b1111],
  [0b0010, 0b0110, 0b0010, 0b0010, 0b0111],
  [0b1111, 0b0001, 0b1111, 0b1000, 0b1111],
  [0b1111, 0b0001, 0b0111, 0b0001, 0b1111],
  [0b1001, 0b1001, 0b1111, 0b0001, 0b0001],
  [0b1111, 0b1000, 0b1111, 0b0001, 0b1111],
  [0b1111, 0b1000, 0b1111, 0b1001, 0b1111],
  [0b1111, 0b0001, 0b0010, 0b0100, 0b0100],
  [0b1111, 0b1001, 0b1111, 0b1001, 0b1111],
  [0b1111, 0b1001, 0b1111, 0b0001, 0b1111],
];
const DIGIT_TOP = 5;
/** Glyph pixels are drawn 2 x 2. */
const DIGIT_SCALE = 2;
const SCORE_X = [36, 52, 68] as const;
const LIVES_X = 100;
const PLAYER_X = 128;

function fillRect(out: Uint8Array, x0: number, y0: number, w: number, h: number, [r, g, b]: RGB): void {
  const x1 = Math.min(x0 + w, SCREEN_WIDTH);
  const y1 = Math.min(y0 + h, SCREEN_HEIGHT);
  for (let y = Math.max(y0, 0); y < y1; y++) {
    let i = (y * SCREEN_WIDTH + Math.max(x0, 0)) * 3;
    for (let x = Math.max(x0, 0); x < x1; x++) {
      out[i++] = r;
      out[i++] = g;
      out[i++] = b;
    }
  }
}

function drawDigit(out: Uint8Array, digit: number, x0: number): void {
  const glyph = DIGITS[digit]!;
  for (let row = 0; row < glyph.length; row++) {
    for (let col = 0; col < 4; col++) {
      if ((glyph[row]! >> (3 - col)) & 1) {
        fillRect(
          out,
          x0 + col * DIGIT_SCALE,
          DIGIT_TOP + row * DIGIT_SCALE,
          DIGIT_SCALE,
          DIGIT_SCALE,
          WALL_COLOR,
        );
      }
    }
  }
}

const BACKGROUND = (() => {
  const frame = new Uint8Array(FRAME_BYTES);
  fillRect(frame, 0, TOP_WALL_TOP, SCREEN_WIDTH, FIELD_TOP - TOP_WALL_TOP, WALL_COLOR);
  fillRect(frame, 0, TOP_WALL_TOP, FIELD_LEFT, WALL_BOTTOM - TOP_WALL_TOP, WALL_COLOR);
  fillRect(
    frame,
    FIELD_RIGHT,
    TOP_WALL_TOP,
    SCREEN_WIDTH - FIELD_RIGHT,
    WALL_BOTTOM - TOP_WALL_TOP,
    WALL_COLOR,
  );
  drawDigit(frame, 1, PLAYER_X);
  return frame;
})();

/** One screen line per brick row, coloured across the field, to copy runs of bricks from. */
const BRICK_LINES = BRICK_COLORS.map((color) => {
  const line = new Uint8Array(ROW_BYTES);
  fillRect(line, FIELD_LEFT, 0, FIELD_RIGHT - FIELD_LEFT, 1, color);
  return line;
});

/** Writes the screen of `game` into `out` (210 * 160 * 3 bytes). */
export function renderScreen(game: BreakoutGame, out: Uint8Array): void {
  out.set(BACKGROUND);
  const score = game.score % 1000;
  drawDigit(out, Math.floor(score / 100), SCORE_X[0]);
  drawDigit(out, Math.floor(score / 10) % 10, SCORE_X[1]);
  drawDigit(out, score % 10, SCORE_X[2]);
  drawDigit(out, Math.min(game.lives, 9), LIVES_X);

  const bricks = game.bricks;
  for (let row = 0; row < BRICK_ROWS; row++) {
    const line = BRICK_LINES[row]!;
    let col = 0;
    while (col < BRICK_COLUMNS) {
      if (bricks[row * BRICK_COLUMNS + col] !== 1) {
        col++;
        continue;
      }
      const start = col;
      while (col < BRICK_COLUMNS && bricks[row * BRICK_COLUMNS + col] === 1) col++;
      const from = (FIELD_LEFT + start * BRICK_WIDTH) * 3;
      const to = (FIELD_LEFT + col * BRICK_WIDTH) * 3;
      const run = line.subarray(from, to);
      const y0 = BRICKS_TOP + row * BRICK_HEIGHT;
      for (let y = y0; y < y0 + BRICK_HEIGHT; y++) out.set(run, y * ROW_BYTES + from);
    }
  }

  fillRect(out, Math.floor(game.paddleX), PADDLE_TOP, game.paddleWidth, PADDLE_HEIGHT, PADDLE_COLOR);
  if (game.ballInPlay) {
    fillRect(out, Math.floor(game.ballX), Math.floor(game.ballY), BALL_WIDTH, BALL_HEIGHT, BALL_COLOR);
  }
}
