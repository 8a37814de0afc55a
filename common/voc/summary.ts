/**
 * Plain-language summary of a VOC analysis for the duty forecaster, in English and Chinese, e.g.
 * "Aromatics and alkenes supply 68% of the OFP; top species: m/p-xylene, toluene, ethylene;
 * regime: VOC-limited (VOC/NOx 3.1 ppbC/ppbv)."
 * Pure: reads only the fields it names, so it is tested on hand-built inputs.
 */
import type { RankedSpecies, GroupMetric } from './metrics.ts';
import { REGIME_LABELS, type Regime } from './regime.ts';
import { GROUP_LABELS } from './species.ts';

export interface SummaryText {
  en: string;
  zh: string;
}

export interface SummaryInput {
  cycles: number;
  ofpTotal: number;
  groups: readonly Pick<GroupMetric, 'group' | 'ofpShare'>[];
  rankings: { ofp: readonly Pick<RankedSpecies, 'id' | 'name' | 'zh'>[] };
  regime: { periodRatio: number | null; periodRegime: Regime | null };
  /** How the period is called in the sentence: 'today' -> "today's OFP" / "今日". */
  periodLabel?: { en: string; zh: string };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Summary sentence. Groups named are the smallest set of largest OFP groups (at most 2) that
 *  covers at least half of the OFP, so the sentence never claims more than it says. */
export function vocSummary(a: SummaryInput): SummaryText {
  if (a.cycles === 0 || !(a.ofpTotal > 0)) {
    return { en: 'No usable VOC data in this period.', zh: '本时段无可用VOCs数据。' };
  }
  const period = a.periodLabel ?? { en: 'the period', zh: '本时段' };
  const groups = [...a.groups].filter((g) => (g.ofpShare ?? 0) > 0).sort((x, y) => (y.ofpShare ?? 0) - (x.ofpShare ?? 0));
  const named = groups[0] && (groups[0].ofpShare ?? 0) >= 0.5 ? groups.slice(0, 1) : groups.slice(0, 2);
  const share = named.reduce((s, g) => s + (g.ofpShare ?? 0), 0);
  const enGroups = named.map((g, i) => lowerAfterFirst(GROUP_LABELS[g.group].en, i));
  const zhGroups = named.map((g) => GROUP_LABELS[g.group].zh);
  const top = a.rankings.ofp.slice(0, 3);
  const poss = period.en === 'today' ? "today's" : `${period.en}'s`;
  const enVerb = named.length > 1 || /s$/.test(enGroups[0]) ? 'supply' : 'supplies';
  const enOfp = `${capital(enGroups.join(' and '))} ${enVerb} ${pct(share)} of ${poss} OFP`;
  const zhOfp = `${zhGroups.join('和')}贡献了${period.zh}臭氧生成潜势(OFP)的${pct(share)}`;
  const enTop = `top species: ${top.map((s) => s.name).join(', ')}`;
  const zhTop = `关键物种：${top.map((s) => s.zh).join('、')}`;
  const r = a.regime;
  const ratio = r.periodRatio !== null ? r.periodRatio.toFixed(1) : null;
  const enReg = r.periodRegime
    ? `regime: ${REGIME_LABELS[r.periodRegime].en} (morning VOC/NOx ${ratio} ppbC/ppbv, a coarse screen)`
    : 'regime: not determined (no paired NOx data)';
  const zhReg = r.periodRegime
    ? `臭氧生成敏感性：${REGIME_LABELS[r.periodRegime].zh}（早间VOCs/NOx为${ratio} ppbC/ppbv，仅作粗略判断）`
    : '臭氧生成敏感性：无法判断（缺少同步NOx数据）';
  return { en: `${enOfp}; ${enTop}; ${enReg}.`, zh: `${zhOfp}；${zhTop}；${zhReg}。` };
}

/** 'Alkenes' -> 'alkenes' after the first group; acronyms ('OVOCs') stay. */
function lowerAfterFirst(s: string, i: number): string {
  return i > 0 && /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
