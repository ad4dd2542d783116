/**
 * Breakout as text, for terminals and logs: one character per 4 x 6 pixels of the screen, so a
 * brick is two characters and a brick row one line. '#' wall, brick rows by colour initial
 * (R O A Y G B), '=' paddle, 'o' ball.
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
  SCREEN_WIDTH,
  TOP_WALL_TOP,
  WALL_BOTTOM,
} from './game.js';

const CELL_WIDTH = 4;
const CELL_HEIGHT = 6;
const BRICK_CHARS = 'ROAYGB';

const overlaps = (a0: number, a1: number, b0: number, b1: number) => a0 < b1 && b0 < a1;

export function renderText(game: BreakoutGame): string {
  const lines = [
    `score ${game.score}  lives ${game.lives}  wall ${game.wall}${game.gameOver ? '  GAME OVER' : ''}`,
  ];
  for (let top = TOP_WALL_TOP; top < WALL_BOTTOM; top += CELL_HEIGHT) {
    const bottom = top + CELL_HEIGHT;
    let line = '';
    for (let left = 0; left < SCREEN_WIDTH; left += CELL_WIDTH) {
      const right = left + CELL_WIDTH;
      const bx = Math.floor(game.ballX);
      const by = Math.floor(game.ballY);
      const px = Math.floor(game.paddleX);
      let ch = ' ';
      if (top < FIELD_TOP || left < FIELD_LEFT || left >= FIELD_RIGHT) ch = '#';
      if (overlaps(top, bottom, BRICKS_TOP, BRICKS_TOP + BRICK_ROWS * BRICK_HEIGHT) && ch === ' ') {
        const row = Math.floor((top - BRICKS_TOP) / BRICK_HEIGHT);
        const col = Math.floor((left - FIELD_LEFT) / BRICK_WIDTH);
        if (
          row >= 0 &&
          row < BRICK_ROWS &&
          col < BRICK_COLUMNS &&
          game.bricks[row * BRICK_COLUMNS + col] === 1
        ) {
          ch = BRICK_CHARS[row]!;
        }
      }
      if (
        overlaps(top, bottom, PADDLE_TOP, PADDLE_TOP + PADDLE_HEIGHT) &&
        overlaps(left, right, px, px + game.paddleWidth)
      ) {
        ch = '=';
      }
      if (
        game.ballInPlay &&
        overlaps(top, bottom, by, by + BALL_HEIGHT) &&
        overlaps(left, right, bx, bx + BALL_WIDTH)
      ) {
        ch = 'o';
      }
      line += ch;
    }
    lines.push(line);
  }
  return lines.join('\n');
}
