/** App-wide context: the store, language, metric, replay cursor, selection. */
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { Store } from '../data/store.ts';
import { loadLang, saveLang, t as tr, type Lang, type MsgKey } from '../lib/i18n.ts';
import type { MetricKey } from '../lib/metrics.ts';

export interface Ui {
  store: Store;
  lang: Lang;
  setLang: (l: Lang) => void;
  metric: MetricKey;
  setMetric: (m: MetricKey) => void;
  /** replay hour (hour end, epoch ms) or null for live */
  cursor: number | null;
  setCursor: (t: number | null) => void;
  selected: { kind: 'station' | 'episode'; id: string } | null;
  select: (s: Ui['selected']) => void;
}

export const UiCtx = createContext<Ui | null>(null);
export function useUi(): Ui {
  const u = useContext(UiCtx);
  if (!u) throw new Error('UiCtx missing');
  return u;
}

/** Re-render on every store change (the map: it draws every station). */
export function useStoreVersion(store: Store): number {
  return useSyncExternalStore(store.subscribe, store.getVersion);
}

/** Re-render when `snapshot` (a primitive read from the store) changes: panels that show the city,
 *  the latest hour, episodes or one station, and must not re-render for every batch of readings. */
export function useStoreSelect<T extends string | number | null>(store: Store, snapshot: () => T): T {
  return useSyncExternalStore(store.subscribe, snapshot);
}

/** Re-render when what panels show changes (Store.uiVersion), not for readings alone. */
export function useStoreUi(store: Store): number {
  return useStoreSelect(store, () => store.uiVersion);
}

export function useT(): (k: MsgKey, p?: Record<string, string | number>) => string {
  const { lang } = useUi();
  return (k, p) => tr(lang, k, p);
}

/** Clock that ticks every `ms` (freshness badges age without new data). */
export function useNow(ms = 10_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

/** `?lang=zh|en` in the address (the wall has no button: its kiosk URL says the language). */
export function langFromUrl(search: string): Lang | null {
  const v = new URLSearchParams(search).get('lang');
  return v === 'zh' || v === 'en' ? v : null;
}

export function useLangState(): [Lang, (l: Lang) => void] {
  const storage = typeof localStorage !== 'undefined' ? localStorage : null;
  const [lang, set] = useState<Lang>(() => (typeof location !== 'undefined' ? langFromUrl(location.search) : null) ?? loadLang(storage));
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  return [lang, (l) => { saveLang(storage, l); set(l); }];
}
