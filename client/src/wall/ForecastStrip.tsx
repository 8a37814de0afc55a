/**
 * The signed forecast on the wall (issue 17): D+1..D+3 of the city's latest official forecast,
 * each a level-coloured tile with the AQI range and primary pollutant, big enough for five metres.
 * Two levels ("良至轻度污染") show both colours, split. Only days after today: yesterday's forecast
 * of today is not a forecast any more.
 */
import type { OfficialForecast } from '#common/schemas/consult.ts';
import { LEVELS, type Level } from '#common/standards/levels.ts';
import { WEEKDAYS, weekdayOf } from '#common/time.ts';
import { levelsZh } from '#common/consult/bulletin.ts';
import { textOn } from '../lib/colour.ts';
import { Pol } from '../ui/bits.tsx';
import { useT, useUi } from '../ui/ctx.tsx';

/** The wall's short English level names (LEVELS' names cut to fit a tile read from five metres;
 *  the desk and the bulletin use the full ones). */
const SHORT_EN = ['Excellent', 'Good', 'Light', 'Moderate', 'Heavy', 'Severe'];

export function ForecastStrip({ forecast, today }: { forecast: OfficialForecast; today: string }) {
  const { lang } = useUi();
  const t = useT();
  const days = forecast.days.filter((d) => d.target > today).slice(0, 3);
  if (!days.length) return null;
  return (
    <div className="wall-forecast" data-testid="wall-forecast" data-forecast-id={forecast.forecastId} data-version={forecast.version}>
      <div className="wall-sub">{t('officialForecast')}</div>
      <div className="wall-fc-days">
        {days.map((d) => {
          const ls = d.levels.map((l) => LEVELS[l - 1]);
          const bg = ls.length === 2 ? `linear-gradient(90deg, ${ls[0].hex} 0 50%, ${ls[1].hex} 50% 100%)` : ls[0].hex;
          const names = lang === 'zh' ? levelsZh(d.levels as Level[]) : ls.map((l) => SHORT_EN[l.level - 1]).join(' – ');
          return (
            <div key={d.target} className="wall-fc-day" data-testid="wall-fc-day" data-target={d.target} data-levels={d.levels.join(',')}>
              <div className="wall-fc-date">{d.target.slice(5)} {WEEKDAYS[lang][weekdayOf(d.target)].slice(0, lang === 'zh' ? 2 : 3)}</div>
              <div className="wall-fc-band" style={{ background: bg, color: textOn(Math.max(...d.levels) as Level) }} lang={lang === 'zh' ? 'zh-CN' : 'en'}>
                <span className="wall-fc-aqi">{d.aqi[0]}–{d.aqi[1]}</span>
                <span className="wall-fc-level">{names}</span>
              </div>
              <div className="wall-fc-primary">{d.primary.length ? d.primary.map((p) => <Pol key={p} p={p} />) : t('none')}</div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
