/**
 * Geometry of the emergency chart (pure, unit-tested): observed city PM2.5 as a line, the
 * weather-adjusted counterfactual as a dashed line inside its band, hour by hour. Missing observed
 * hours break the line (never drawn as zero).
 */
import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import type { LiveHour } from '#common/schemas/measures.ts';

export interface BandChart {
  observed: string;
  counterfactual: string;
  band: string;
  yTicks: { v: number; y: number }[];
  /** x axis labels: every 3 hours (HH:00) over up to two days, else each Beijing midnight (MM-DD of the day it ends) */
  days: { x: number; label: string }[];
  max: number;
}

const BJ = 8 * 3_600_000;

export function bandChart(hours: readonly LiveHour[], width: number, height: number): BandChart {
  let max = 0;
  for (const h of hours) max = Math.max(max, h.high, h.counterfactual, h.observed ?? 0);
  const y = scaleLinear().domain([0, max > 0 ? max * 1.05 : 1]).nice().range([height, 0]);
  const t0 = hours[0]?.t ?? 0;
  const t1 = hours[hours.length - 1]?.t ?? t0 + 1;
  const x = scaleLinear().domain([t0, Math.max(t1, t0 + 1)]).range([0, width]);
  const obs = line<LiveHour>().defined((h) => h.observed !== null).x((h) => x(h.t)).y((h) => y(h.observed as number));
  const cf = line<LiveHour>().x((h) => x(h.t)).y((h) => y(h.counterfactual));
  const band = area<LiveHour>().x((h) => x(h.t)).y0((h) => y(h.low)).y1((h) => y(h.high));
  const days: BandChart['days'] = [];
  // Up to two days: a label every 3 hours (hour end, Beijing); longer: one per day at midnight.
  const short = hours.length <= 48;
  for (const h of hours) {
    const bj = new Date(h.t + BJ);
    if (short ? bj.getUTCHours() % 3 === 0 : bj.getUTCHours() === 0) {
      days.push({ x: x(h.t), label: short ? `${bj.toISOString().slice(11, 13)}:00` : new Date(h.t + BJ - 1).toISOString().slice(5, 10) });
    }
  }
  return {
    observed: obs(hours as LiveHour[]) ?? '', counterfactual: cf(hours as LiveHour[]) ?? '', band: band(hours as LiveHour[]) ?? '',
    yTicks: y.ticks(4).map((v) => ({ v, y: y(v) })), days, max: y.domain()[1],
  };
}
