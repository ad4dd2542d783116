/**
 * @acme-ts/envs: dm_env environments (Gymnasium's classic control, bsuite Catch, an
 * Atari-2600-style Breakout) and Acme's environment wrappers.
 */

export { type AtariGame, isAtariGame } from './atari/atari_game.js';
export { Breakout, type BreakoutOptions } from './breakout/breakout.js';
export { ACTION_MEANINGS as BREAKOUT_ACTIONS, BreakoutGame } from './breakout/game.js';
export { BALL_COLOR, BRICK_COLORS, PADDLE_COLOR, WALL_COLOR } from './breakout/screen.js';
export { Catch, type CatchOptions } from './bsuite/catch.js';
export { Acrobot } from './classic_control/acrobot.js';
export { CartPole, type CartPoleOptions } from './classic_control/cart_pole.js';
export { ClassicControlEnvironment, type ClassicControlOptions } from './classic_control/classic_control.js';
export { MountainCar, type MountainCarOptions } from './classic_control/mountain_car.js';
export { MountainCarContinuous } from './classic_control/mountain_car_continuous.js';
export { angleNormalize, Pendulum, type PendulumOptions } from './classic_control/pendulum.js';
export {
  type AnyEnvironment,
  type EnvironmentFactory,
  type EnvironmentRegistration,
  make,
  register,
  registeredIds,
  registration,
} from './registry.js';
export { crc32, encodePng, type PngOptions } from './render/png.js';
export { ActionRepeat } from './wrappers/action_repeat.js';
export { AtariWrapper, type AtariWrapperOptions } from './wrappers/atari.js';
export { EnvironmentWrapper } from './wrappers/base.js';
export { CanonicalSpec } from './wrappers/canonical_spec.js';
export { FrameStacking } from './wrappers/frame_stacking.js';
export {
  GymAdapter,
  type GymAdapterOptions,
  type GymInfo,
  type GymLikeEnvironment,
  specFromSpace,
} from './wrappers/gym_adapter.js';
export { NoopStarts, type NoopStartsOptions } from './wrappers/noop_starts.js';
export { type OAR, ObservationActionReward } from './wrappers/observation_action_reward.js';
export { SinglePrecision } from './wrappers/single_precision.js';
export { StepLimit } from './wrappers/step_limit.js';
