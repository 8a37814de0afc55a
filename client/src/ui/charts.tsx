/** SVG charts (d3-scale / d3-shape): hourly bars coloured by level, moving-mean lines, limit line,
 *  quality flags as marks, replay cursor. */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { HOUR_MS } from '#common/time.ts';
import { levelHex } from '../lib/colour.ts';
import { formatBeijing } from '#common/time.ts';

export interface Line { values: readonly (number | null)[]; label: string; colour: string; dash?: string }

export interface HourChartProps {
  from: number;
  values: readonly (number | null)[];
  /** index used for each bar's colour (AQI or IAQI), same length as values */
  index: readonly (number | null)[];
  lines?: readonly Line[];
  limit?: { value: number; label: string } | null;
  /** several threshold lines (e.g. O3-8h 160 / 215 / 265); drawn like `limit` */
  limits?: readonly { value: number; label: string }[];
  flags?: readonly boolean[];
  cursor?: number | null;
  width: number;
  height: number;
  unit?: string;
  dark?: boolean;
  fontSize?: number;
  testid?: string;
  /** approximate number of y ticks (default 4) */
  yTicks?: number;
}

export function HourChart(p: HourChartProps) {
  const fs = p.fontSize ?? 11;
  const m = { l: fs * 3.2, r: 8, t: 10, b: fs * 2 };
  const n = p.values.length;
  const w = p.width - m.l - m.r;
  const h = p.height - m.t - m.b;
  let max = 0;
  for (const v of p.values) if (v !== null && v > max) max = v;
  for (const l of p.lines ?? []) for (const v of l.values) if (v !== null && v > max) max = v;
  const limits = [...(p.limit ? [p.limit] : []), ...(p.limits ?? [])];
  for (const l of limits) max = Math.max(max, l.value * 1.08);
  const y = scaleLinear().domain([0, max > 0 ? max * 1.05 : 1]).nice().range([h, 0]);
  const x = scaleLinear().domain([0, n]).range([0, w]);
  const bw = Math.max(1, w / Math.max(n, 1) - 1);
  const ink = p.dark ? '#9AA6B6' : '#5A6472';
  const mk = (vals: readonly (number | null)[]) =>
    line<number | null>().defined((v) => v !== null).x((_, i) => x(i + 0.5)).y((v) => y(v as number))(vals as (number | null)[]) ?? '';
  // Day ticks at Beijing midnight.
  const ticks: number[] = [];
  for (let i = 0; i < n; i++) if (formatBeijing(p.from + i * HOUR_MS).slice(11, 13) === '00') ticks.push(i);
  const ci = p.cursor !== null && p.cursor !== undefined ? Math.round((p.cursor - p.from) / HOUR_MS) : null;
  return (
    <svg width={p.width} height={p.height} className="chart" data-testid={p.testid} role="img">
      <g transform={`translate(${m.l},${m.t})`}>
        {y.ticks(p.yTicks ?? 4).map((v) => (
          <g key={v} transform={`translate(0,${y(v)})`}>
            <line x2={w} stroke={ink} strokeOpacity={0.18} />
            <text x={-6} dy="0.32em" textAnchor="end" fill={ink} fontSize={fs} className="num">{v}</text>
          </g>
        ))}
        {p.values.map((v, i) =>
          v === null ? null : (
            <rect key={i} x={x(i) + 0.5} y={y(v)} width={bw} height={Math.max(0, h - y(v))} fill={levelHex(p.index[i])} data-level-colour={levelHex(p.index[i])} />
          ),
        )}
        {p.flags?.map((f, i) => f ? <path key={`f${i}`} d={`M${x(i + 0.5)},${h + 2} l-4,7 h8 z`} fill="#111" stroke="#fff" strokeWidth={0.8}><title>QC</title></path> : null)}
        {(p.lines ?? []).map((l) => <path key={l.label} d={mk(l.values)} fill="none" stroke={l.colour} strokeWidth={2} strokeDasharray={l.dash} />)}
        {limits.map((l) => (
          <g key={l.label} transform={`translate(0,${y(l.value)})`} data-testid="chart-limit" data-value={l.value}>
            <line x2={w} stroke={p.dark ? '#E6E9EE' : '#1D2330'} strokeWidth={1.2} strokeDasharray="6 4" />
            <text x={4} dy="-0.4em" textAnchor="start" fill={p.dark ? '#E6E9EE' : '#1D2330'} fontSize={fs} fontWeight={600}
              paintOrder="stroke" stroke={p.dark ? '#0B1622' : '#FFFFFF'} strokeWidth={3}>{l.label}</text>
          </g>
        ))}
        {ticks.map((i) => (
          <g key={`t${i}`} transform={`translate(${x(i)},${h})`}>
            <line y2={4} stroke={ink} />
            <text y={fs + 5} textAnchor="middle" fill={ink} fontSize={fs} className="num">{formatBeijing(p.from + i * HOUR_MS).slice(5, 10)}</text>
          </g>
        ))}
        {ci !== null && ci >= 0 && ci < n && <line x1={x(ci + 0.5)} x2={x(ci + 0.5)} y2={h} stroke="#1E78FF" strokeWidth={2} />}
        <line y1={h} y2={h} x2={w} stroke={ink} />
      </g>
    </svg>
  );
}

/** Small sparkline of an index series coloured by level at its end. */
export function Spark({ values, index, width, height }: { values: readonly (number | null)[]; index: readonly (number | null)[]; width: number; height: number }) {
  let max = 0;
  for (const v of values) if (v !== null && v > max) max = v;
  const y = scaleLinear().domain([0, Math.max(max, 50)]).range([height - 2, 2]);
  const x = scaleLinear().domain([0, Math.max(values.length - 1, 1)]).range([0, width]);
  const bw = Math.max(1, width / Math.max(values.length, 1) - 1);
  return (
    <svg width={width} height={height} className="spark">
      {values.map((v, i) => v === null ? null : <rect key={i} x={x(i) - bw / 2} y={y(v)} width={bw} height={height - y(v)} fill={levelHex(index[i])} />)}
    </svg>
  );
}
