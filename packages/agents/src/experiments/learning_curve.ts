/**
 * A learning curve as a standalone SVG (no plotting dependency: the picture is a few lines and a
 * polyline): episode returns against environment steps, with a moving average on top.
 */

export interface CurvePoint {
  steps: number;
  value: number;
}

export interface CurveOptions {
  title: string;
  xLabel?: string;
  yLabel?: string;
  /** Width of the moving average window, in points. */
  window?: number;
  width?: number;
  height?: number;
}

function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

export function movingAverage(values: readonly number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= window) sum -= values[i - window]!;
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}

export function learningCurveSvg(points: readonly CurvePoint[], options: CurveOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 420;
  const m = { left: 64, right: 20, top: 36, bottom: 48 };
  const xs = points.map((p) => p.steps);
  const ys = points.map((p) => p.value);
  const xMin = 0;
  const xMax = Math.max(1, ...xs);
  let yMin = Math.min(0, ...ys);
  let yMax = Math.max(...ys, yMin + 1);
  const pad = (yMax - yMin) * 0.05;
  yMin -= pad;
  yMax += pad;
  const px = (x: number) => m.left + ((x - xMin) / (xMax - xMin)) * (width - m.left - m.right);
  const py = (y: number) => height - m.bottom - ((y - yMin) / (yMax - yMin)) * (height - m.top - m.bottom);
  const path = (vals: readonly number[]) =>
    vals.map((v, i) => `${px(xs[i]!).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
  const avg = movingAverage(ys, options.window ?? 20);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`,
  ];
  for (const t of niceTicks(yMin, yMax, 6)) {
    const y = py(t).toFixed(1);
    parts.push(`<line x1="${m.left}" x2="${width - m.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${t}</text>`);
  }
  for (const t of niceTicks(xMin, xMax, 6)) {
    const x = px(t).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${m.top}" y2="${height - m.bottom}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${x}" y="${height - m.bottom + 16}" text-anchor="middle">${t}</text>`);
  }
  parts.push(
    `<text x="${width / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel ?? 'environment steps')}</text>`,
    `<text transform="translate(16 ${height / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel ?? 'episode return')}</text>`,
  );
  if (points.length > 0) {
    parts.push(`<polyline fill="none" stroke="#9ecae1" stroke-width="1" points="${path(ys)}"/>`);
    parts.push(`<polyline fill="none" stroke="#08519c" stroke-width="2" points="${path(avg)}"/>`);
  } else {
    parts.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle">no episodes</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
