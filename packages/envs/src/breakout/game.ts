/**
 * The rules of Atari 2600 Breakout, frame by frame, without any drawing.
 *
 * Layout (pixels of the 210 x 160 screen): a grey wall on top (rows 17-31) and on both sides
 * (columns 0-7 and 152-159); six rows of 18 bricks, 8 x 6 pixels, from row 57 to 92, worth
 * 7, 7, 4, 4, 1, 1 points from the top (red, orange, amber, yellow, green, blue); the paddle,
 * 16 x 4 pixels, on rows 189-192; a 2 x 4 pixel ball.
 *
 * Play: FIRE serves a ball from just below the wall, at a seeded random column and direction.
 * It bounces off the walls and the paddle, where the part of the paddle it meets sets the angle
 * (outer parts send it out flatter and faster sideways). A brick it touches disappears and
 * reflects it. The ball speeds up after 4 and after 12 bricks, and on its first orange and first
 * red brick; the paddle shrinks to half width once the ball reaches the top wall. A ball that
 * passes the paddle costs a life; after 5 the game is over, and so it is when the wall has been
 * cleared twice (the second wall appears at the next paddle hit), for a top score of 864.
 *
 * All positions are float64 and every rule is deterministic given the seed and the actions.
 */
import { Random } from '@acme-ts/core';

export const SCREEN_HEIGHT = 210;
export const SCREEN_WIDTH = 160;

export const NOOP = 0;
export const FIRE = 1;
export const RIGHT = 2;
export const LEFT = 3;
export const ACTION_MEANINGS = ['NOOP', 'FIRE', 'RIGHT', 'LEFT'] as const;

export const TOP_WALL_TOP = 17;
/** First row below the top wall. */
export const FIELD_TOP = 32;
/** First column right of the left wall. */
export const FIELD_LEFT = 8;
/** First column of the right wall. */
export const FIELD_RIGHT = 152;
/** First row below the side walls. */
export const WALL_BOTTOM = 196;

export const BRICK_ROWS = 6;
export const BRICK_COLUMNS = 18;
export const BRICK_WIDTH = 8;
export const BRICK_HEIGHT = 6;
export const BRICKS_TOP = 57;
export const BRICKS_BOTTOM = BRICKS_TOP + BRICK_ROWS * BRICK_HEIGHT;
/** Points per brick row, top row first. */
export const ROW_POINTS = [7, 7, 4, 4, 1, 1] as const;
const RED_ROW = 0;
const ORANGE_ROW = 1;

export const PADDLE_TOP = 189;
export const PADDLE_HEIGHT = 4;
export const PADDLE_WIDTH = 16;
export const PADDLE_SPEED = 3;
export const BALL_WIDTH = 2;
export const BALL_HEIGHT = 4;
const SERVE_ROW = 106;

export const START_LIVES = 5;
/** Vertical speed (pixels per frame) at speed levels 0-4. */
const VERTICAL_SPEED = [2, 2.5, 3, 3.5, 4] as const;
/** Horizontal speed as a fraction of the vertical one, for the three bounce angles. */
const ANGLE_SLOPE = [0.5, 0.75, 1] as const;

export class BreakoutGame {
  readonly #rng: Random;
  /** 1 where a brick stands, row-major from the top-left (tests and planners may edit it). */
  readonly bricks = new Uint8Array(BRICK_ROWS * BRICK_COLUMNS);
  /** Which wall is being played (1 or 2); a cleared first wall is rebuilt at the next paddle hit. */
  #wall = 1;
  #refillPending = false;
  #score = 0;
  #lives = START_LIVES;
  #gameOver = false;
  #frame = 0;

  #paddleX = 0;
  #paddleWidth = PADDLE_WIDTH;
  #ballInPlay = false;
  #ballX = 0;
  #ballY = 0;
  #dirX = 1;
  #dirY = 1;
  #angle = 1;
  #hits = 0;
  #orangeHit = false;
  #redHit = false;

  constructor(seed?: number) {
    this.#rng = new Random(seed);
    this.reset();
  }

  /** A new game: full wall, 5 lives, score 0, no ball in play. */
  reset(): void {
    this.bricks.fill(1);
    this.#wall = 1;
    this.#refillPending = false;
    this.#score = 0;
    this.#lives = START_LIVES;
    this.#gameOver = false;
    this.#frame = 0;
    this.#paddleX = (FIELD_LEFT + FIELD_RIGHT - PADDLE_WIDTH) / 2;
    this.#newBall();
  }

  get score(): number {
    return this.#score;
  }
  get lives(): number {
    return this.#lives;
  }
  get gameOver(): boolean {
    return this.#gameOver;
  }
  /** Frames since the game started. */
  get frame(): number {
    return this.#frame;
  }
  /** Counted on demand: a hit is rare next to a frame, and `bricks` may be edited directly. */
  get bricksLeft(): number {
    let n = 0;
    for (let i = 0; i < this.bricks.length; i++) n += this.bricks[i]!;
    return n;
  }
  get wall(): number {
    return this.#wall;
  }
  get paddleX(): number {
    return this.#paddleX;
  }
  get paddleWidth(): number {
    return this.#paddleWidth;
  }
  get ballInPlay(): boolean {
    return this.#ballInPlay;
  }
  get ballX(): number {
    return this.#ballX;
  }
  get ballY(): number {
    return this.#ballY;
  }
  /** Velocity in pixels per frame (0 while no ball is in play). */
  get ballVelocity(): [number, number] {
    if (!this.#ballInPlay) return [0, 0];
    const speed = this.#verticalSpeed();
    return [this.#dirX * speed * ANGLE_SLOPE[this.#angle]!, this.#dirY * speed];
  }
  /** 0 (slowest) to 4. */
  get speedLevel(): number {
    return (
      (this.#hits >= 4 ? 1 : 0) +
      (this.#hits >= 12 ? 1 : 0) +
      (this.#orangeHit ? 1 : 0) +
      (this.#redHit ? 1 : 0)
    );
  }

  /** One frame under `action` (0-3, unchecked: callers validate); returns the points scored. */
  act(action: number): number {
    if (this.#gameOver) return 0;
    this.#frame += 1;
    if (action === RIGHT) this.#paddleX += PADDLE_SPEED;
    else if (action === LEFT) this.#paddleX -= PADDLE_SPEED;
    this.#paddleX = Math.min(Math.max(this.#paddleX, FIELD_LEFT), FIELD_RIGHT - this.#paddleWidth);
    if (!this.#ballInPlay) {
      if (action === FIRE) this.#serve();
      return 0;
    }
    return this.#moveBall();
  }

  /** For tests and planning: put the ball somewhere with a given direction. */
  placeBall(x: number, y: number, dirX: 1 | -1, dirY: 1 | -1, angle: 0 | 1 | 2 = 1): void {
    this.#ballInPlay = true;
    this.#ballX = x;
    this.#ballY = y;
    this.#dirX = dirX;
    this.#dirY = dirY;
    this.#angle = angle;
  }

  /** For tests and planning: move the paddle's left edge (clamped to the field). */
  placePaddle(x: number): void {
    this.#paddleX = Math.min(Math.max(x, FIELD_LEFT), FIELD_RIGHT - this.#paddleWidth);
  }

  #verticalSpeed(): number {
    return VERTICAL_SPEED[this.speedLevel]!;
  }

  #newBall(): void {
    this.#ballInPlay = false;
    this.#paddleWidth = PADDLE_WIDTH;
    this.#paddleX = Math.min(this.#paddleX, FIELD_RIGHT - PADDLE_WIDTH);
    this.#hits = 0;
    this.#orangeHit = false;
    this.#redHit = false;
  }

  #serve(): void {
    this.#ballInPlay = true;
    this.#ballX = FIELD_LEFT + this.#rng.int(FIELD_RIGHT - FIELD_LEFT - BALL_WIDTH + 1);
    this.#ballY = SERVE_ROW;
    this.#dirX = this.#rng.int(2) === 0 ? -1 : 1;
    this.#dirY = 1;
    this.#angle = this.#rng.int(2);
  }

  /** Moves the ball in sub-steps of at most one pixel per axis, resolving every contact. */
  #moveBall(): number {
    const speed = this.#verticalSpeed();
    const vx = this.#dirX * speed * ANGLE_SLOPE[this.#angle]!;
    const vy = this.#dirY * speed;
    const n = Math.ceil(Math.max(Math.abs(vx), Math.abs(vy)));
    let reward = 0;
    let brickHit = false;
    for (let i = 0; i < n; i++) {
      // Velocity can change mid-frame (a bounce); the remaining sub-steps follow the new one.
      const stepX = (this.#dirX * speed * ANGLE_SLOPE[this.#angle]!) / n;
      const stepY = (this.#dirY * speed) / n;
      const previousY = this.#ballY;
      let x = this.#ballX + stepX;
      let y = this.#ballY + stepY;

      if (x < FIELD_LEFT) {
        x = 2 * FIELD_LEFT - x;
        this.#dirX = 1;
      } else if (x + BALL_WIDTH > FIELD_RIGHT) {
        x = 2 * (FIELD_RIGHT - BALL_WIDTH) - x;
        this.#dirX = -1;
      }
      if (y < FIELD_TOP) {
        y = 2 * FIELD_TOP - y;
        this.#dirY = 1;
        // Breaking through to the top wall halves the paddle until the ball is lost.
        if (this.#paddleWidth === PADDLE_WIDTH) this.#paddleWidth = PADDLE_WIDTH / 2;
      }

      if (!brickHit) {
        const points = this.#hitBrick(x, y);
        if (points > 0) {
          brickHit = true;
          reward += points;
          this.#dirY = -this.#dirY;
          // Back to the row it came from: the ball never rests inside a brick's cell.
          y = previousY;
          if (this.bricksLeft === 0) {
            if (this.#wall === 1) this.#refillPending = true;
            else {
              this.#ballX = x;
              this.#ballY = y;
              this.#gameOver = true;
              return reward;
            }
          }
        }
      }

      if (this.#dirY > 0 && this.#touchesPaddle(x, y, previousY)) {
        y = PADDLE_TOP - BALL_HEIGHT;
        this.#bounceOffPaddle(x);
      }

      this.#ballX = x;
      this.#ballY = y;
      if (y >= WALL_BOTTOM) {
        this.#loseBall();
        return reward;
      }
    }
    return reward;
  }

  /** Removes the brick the ball's leading edge entered, if any; returns its points (0: none). */
  #hitBrick(x: number, y: number): number {
    const top = Math.floor(y);
    const bottom = top + BALL_HEIGHT - 1;
    if (bottom < BRICKS_TOP || top >= BRICKS_BOTTOM) return 0;
    const left = Math.floor(x);
    const colLeft = Math.floor((left - FIELD_LEFT) / BRICK_WIDTH);
    const colRight = Math.floor((left + BALL_WIDTH - 1 - FIELD_LEFT) / BRICK_WIDTH);
    const rowTop = Math.max(0, Math.floor((top - BRICKS_TOP) / BRICK_HEIGHT));
    const rowBottom = Math.min(BRICK_ROWS - 1, Math.floor((bottom - BRICKS_TOP) / BRICK_HEIGHT));
    // The leading edge's row first: moving up the ball enters bricks with its top.
    const rows = this.#dirY < 0 ? [rowTop, rowBottom] : [rowBottom, rowTop];
    for (const row of rows) {
      for (const col of [colLeft, colRight]) {
        if (col < 0 || col >= BRICK_COLUMNS) continue;
        const index = row * BRICK_COLUMNS + col;
        if (this.bricks[index] === 1) {
          this.bricks[index] = 0;
          this.#hits += 1;
          if (row === ORANGE_ROW) this.#orangeHit = true;
          if (row === RED_ROW) this.#redHit = true;
          const points = ROW_POINTS[row]!;
          this.#score += points;
          return points;
        }
      }
    }
    return 0;
  }

  #touchesPaddle(x: number, y: number, previousY: number): boolean {
    const bottom = Math.floor(y) + BALL_HEIGHT;
    const previousBottom = Math.floor(previousY) + BALL_HEIGHT;
    const left = Math.floor(x);
    const paddleLeft = Math.floor(this.#paddleX);
    return (
      bottom > PADDLE_TOP &&
      previousBottom <= PADDLE_TOP &&
      left + BALL_WIDTH > paddleLeft &&
      left < paddleLeft + this.#paddleWidth
    );
  }

  /** The part of the paddle hit sets direction and angle: outer sixths flattest, centre steepest. */
  #bounceOffPaddle(x: number): void {
    this.#dirY = -1;
    const relative = (x + BALL_WIDTH / 2 - this.#paddleX) / this.#paddleWidth;
    const zone = Math.min(5, Math.max(0, Math.floor(relative * 6)));
    this.#dirX = zone < 3 ? -1 : 1;
    this.#angle = [2, 1, 0, 0, 1, 2][zone]!;
    if (this.#refillPending) {
      this.bricks.fill(1);
      this.#refillPending = false;
      this.#wall = 2;
    }
  }

  #loseBall(): void {
    this.#lives -= 1;
    this.#newBall();
    if (this.#lives === 0) this.#gameOver = true;
  }
}
