/** One line of a chart: its name in the legend and its (x, y) points, x ascending. */
export interface ChartSeries {
  name: string;
  points: readonly (readonly [number, number])[];
}

export interface Chart {
  title: string;
  /** What the y axis counts (MiB, runs, events …). */
  unit: string;
  series: readonly ChartSeries[];
}

const WIDTH = 760;
const PANEL_HEIGHT = 230;
const MARGIN = { left: 64, right: 190, top: 34, bottom: 38 };
const TICKS = 5;
/** Colour-blind-safe (Okabe–Ito), distinct on white. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/**
 * Line charts stacked in one SVG document, x in minutes from the start shared by all: a plain
 * file with no script or external reference, which GitHub and any browser show as it is.
 */
export function svgLineCharts(charts: readonly Chart[], xLabel: string): string {
  const maxX = Math.max(1e-9, ...charts.flatMap((chart) => chart.series.flatMap((series) => series.points.map(([x]) => x))));
  const panels = charts.map((chart, index) => panel(chart, index * PANEL_HEIGHT, maxX, xLabel));
  const height = charts.length * PANEL_HEIGHT;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}

function panel(chart: Chart, top: number, maxX: number, xLabel: string): string {
  const plot = { left: MARGIN.left, right: WIDTH - MARGIN.right, top: top + MARGIN.top, bottom: top + PANEL_HEIGHT - MARGIN.bottom };
  const maxY = niceCeiling(Math.max(0, ...chart.series.flatMap((series) => series.points.map(([, y]) => y))));
  const x = (value: number) => plot.left + (value / maxX) * (plot.right - plot.left);
  const y = (value: number) => plot.bottom - (value / maxY) * (plot.bottom - plot.top);
  const parts = [`<text x="${plot.left}" y="${top + 20}" font-size="13" font-weight="bold">${escapeXml(chart.title)}</text>`];
  for (let tick = 0; tick <= TICKS; tick += 1) {
    const value = (maxY * tick) / TICKS;
    parts.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${round(y(value))}" y2="${round(y(value))}" stroke="#e0e0e0"/>`);
    parts.push(`<text x="${plot.left - 6}" y="${round(y(value)) + 4}" text-anchor="end">${formatNumber(value)}</text>`);
    const xValue = (maxX * tick) / TICKS;
    parts.push(`<text x="${round(x(xValue))}" y="${plot.bottom + 16}" text-anchor="middle">${formatNumber(xValue)}</text>`);
  }
  parts.push(`<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}" stroke="#444"/>`);
  parts.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#444"/>`);
  parts.push(`<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 32}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  parts.push(`<text transform="translate(${plot.left - 48} ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.unit)}</text>`);
  chart.series.forEach((series, index) => {
    const colour = COLOURS[index % COLOURS.length]!;
    if (series.points.length > 0) {
      const path = series.points.map(([px, py]) => `${round(x(px))},${round(y(py))}`).join(' ');
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.8" points="${path}"/>`);
    }
    const legendY = plot.top + 4 + index * 16;
    parts.push(`<line x1="${plot.right + 14}" x2="${plot.right + 34}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="3"/>`);
    parts.push(`<text x="${plot.right + 40}" y="${legendY + 4}">${escapeXml(series.name)}</text>`);
  });
  return `<g>\n${parts.join('\n')}\n</g>`;
}

/** The smallest of 1, 2 or 5 times a power of ten at or above `value` (1 for nothing), so ticks fall on round numbers. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value * (1 - 1e-12))!;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 1 : 0);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
