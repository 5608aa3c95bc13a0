/** One bar colour and legend entry. */
export interface ChartSeries {
  name: string;
  color: string;
}

/** One panel of a chart: groups of bars (one bar per series) on a shared axis from 0. */
export interface ChartPanel {
  title: string;
  groups: { label: string; values: readonly (number | undefined)[] }[];
}

/** A grid of grouped bar panels with one legend; each panel has its own y scale. */
export interface GroupedBarChart {
  title: string;
  /** What the bars measure, e.g. `ops/s`, in each bar's hover text. */
  unit: string;
  series: readonly ChartSeries[];
  panels: readonly ChartPanel[];
  /** Tick labels and hover text, e.g. `12.3k`. */
  format(value: number): string;
  /** Panels per row; three unless set. */
  columns?: number;
  /** Width of one panel in px; 300 unless set (wider for many groups). */
  panelWidth?: number;
}

const DEFAULT_PANEL_WIDTH = 300;
const PANEL_HEIGHT = 210;
const PLOT_TOP = 28;
const PLOT_LEFT = 52;
const PLOT_RIGHT = 10;
const PLOT_BOTTOM = 28;
const HEADER_HEIGHT = 34;
const LEGEND_ROW = 18;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

/**
 * Render `chart` as a self-contained SVG document: white background (readable in dark mode
 * too), every bar carrying its exact value as a hover title, no scripts or external fonts, and
 * the same output for the same input so regenerating the docs changes nothing when the
 * numbers did not.
 */
export function renderGroupedBarChart(chart: GroupedBarChart): string {
  const columns = Math.min(chart.columns ?? 3, chart.panels.length);
  const panelWidth = chart.panelWidth ?? DEFAULT_PANEL_WIDTH;
  const rows = Math.ceil(chart.panels.length / columns);
  const legendRows = Math.ceil(chart.series.length / 4);
  const top = HEADER_HEIGHT + legendRows * LEGEND_ROW;
  const width = Math.max(columns * panelWidth, 4 * 190);
  const height = top + rows * PANEL_HEIGHT;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="11">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="20" font-size="14" font-weight="600" fill="#1f2328">${escapeXml(chart.title)}</text>`,
    ...legend(chart.series, HEADER_HEIGHT),
    ...chart.panels.flatMap((panel, index) =>
      renderPanel(
        panel,
        chart,
        panelWidth,
        (index % columns) * panelWidth,
        top + Math.floor(index / columns) * PANEL_HEIGHT,
      ),
    ),
    '</svg>',
    '',
  ];
  return parts.join('\n');
}

function legend(series: readonly ChartSeries[], top: number): string[] {
  return series.map((entry, index) => {
    const x = 12 + (index % 4) * 190;
    const y = top + Math.floor(index / 4) * LEGEND_ROW;
    return (
      `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${entry.color}"/>` +
      `<text x="${x + 15}" y="${y}" fill="#1f2328">${escapeXml(entry.name)}</text>`
    );
  });
}

function renderPanel(
  panel: ChartPanel,
  chart: GroupedBarChart,
  panelWidth: number,
  left: number,
  top: number,
): string[] {
  const plotWidth = panelWidth - PLOT_LEFT - PLOT_RIGHT;
  const plotHeight = PANEL_HEIGHT - PLOT_TOP - PLOT_BOTTOM;
  const x0 = left + PLOT_LEFT;
  const y0 = top + PLOT_TOP + plotHeight;
  const values = panel.groups.flatMap((group) =>
    group.values.filter((value): value is number => value !== undefined && value > 0),
  );
  const ticks = niceTicks(Math.max(0, ...values));
  const scaleMax = ticks[ticks.length - 1] ?? 1;
  const y = (value: number) => y0 - (value / scaleMax) * plotHeight;
  const parts = [
    `<text x="${left + panelWidth / 2}" y="${top + 16}" text-anchor="middle" font-weight="600" fill="#1f2328">${escapeXml(panel.title)}</text>`,
  ];
  for (const tick of ticks) {
    parts.push(
      `<line x1="${x0}" x2="${x0 + plotWidth}" y1="${fixed(y(tick))}" y2="${fixed(y(tick))}" stroke="${tick === 0 ? '#8c959f' : '#d8dee4'}"/>`,
      `<text x="${x0 - 4}" y="${fixed(y(tick) + 4)}" text-anchor="end" fill="#57606a">${escapeXml(tickLabel(tick, chart))}</text>`,
    );
  }
  const groupWidth = plotWidth / Math.max(1, panel.groups.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, chart.series.length);
  panel.groups.forEach((group, groupIndex) => {
    const groupLeft = x0 + groupIndex * groupWidth + groupWidth * 0.1;
    group.values.forEach((value, seriesIndex) => {
      if (value === undefined) return;
      const series = chart.series[seriesIndex] as ChartSeries;
      const barTop = y(Math.max(0, value));
      parts.push(
        `<rect x="${fixed(groupLeft + seriesIndex * barWidth)}" y="${fixed(barTop)}" width="${fixed(barWidth - 1)}" height="${fixed(y0 - barTop)}" fill="${series.color}">` +
          `<title>${escapeXml(`${series.name}, ${group.label}: ${chart.format(value)} ${chart.unit}`)}</title></rect>`,
      );
    });
    parts.push(
      `<text x="${fixed(x0 + (groupIndex + 0.5) * groupWidth)}" y="${y0 + 16}" text-anchor="middle" fill="#1f2328">${escapeXml(group.label)}</text>`,
    );
  });
  return parts;
}

/** A tick's value without the zero decimals a round step does not need (`100.0k` → `100k`). */
function tickLabel(tick: number, chart: GroupedBarChart): string {
  return tick === 0 ? '0' : chart.format(tick).replace(/\.0+(?=[a-zA-Z]*$)/, '');
}

/** 0 and 3–6 round steps (1, 2, 2.5 or 5 × 10ⁿ) whose last one is at or above `max`. */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((s) => s >= rough) ??
    10 * magnitude;
  const ticks = [0];
  while ((ticks[ticks.length - 1] as number) < max) ticks.push(ticks.length * step);
  return ticks;
}

function fixed(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
