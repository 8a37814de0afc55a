/**
 * Health effects and advice per AQI level: HJ 633-2012 Table 2, columns 对健康影响情况 (effect) and
 * 建议采取的措施 (advice), the texts as the standard words them (checked against several
 * reproductions of the table; the HJ 633-2026 Table 2 wording of these columns was not read).
 * The standard has no English: the English is ours, a plain translation of the Chinese.
 */
import type { Level } from './levels.ts';

export interface HealthText {
  effect: { zh: string; en: string };
  advice: { zh: string; en: string };
}

// HJ 633-2012 Table 2, one row per level.
export const HEALTH_ADVICE: Readonly<Record<Level, HealthText>> = Object.freeze({
  1: {
    effect: { zh: '空气质量令人满意，基本无空气污染', en: 'Air quality is satisfactory, with little or no air pollution' },
    advice: { zh: '各类人群可正常活动', en: 'Everyone can carry on normal activities' },
  },
  2: {
    effect: { zh: '空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响', en: 'Air quality is acceptable, but some pollutants may slightly affect a very small number of unusually sensitive people' },
    advice: { zh: '极少数异常敏感人群应减少户外活动', en: 'A very small number of unusually sensitive people should reduce outdoor activity' },
  },
  3: {
    effect: { zh: '易感人群症状有轻度加剧，健康人群出现刺激症状', en: 'Symptoms of susceptible people are slightly aggravated; healthy people show signs of irritation' },
    advice: { zh: '儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼', en: 'Children, older people and people with heart or respiratory disease should reduce prolonged or intense outdoor exercise' },
  },
  4: {
    effect: { zh: '进一步加剧易感人群症状，可能对健康人群心脏、呼吸系统有影响', en: 'Symptoms of susceptible people are further aggravated; the heart and respiratory system of healthy people may be affected' },
    advice: { zh: '儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻炼，一般人群适量减少户外运动', en: 'Children, older people and people with heart or respiratory disease should avoid prolonged or intense outdoor exercise; everyone else should cut down on outdoor exercise' },
  },
  5: {
    effect: { zh: '心脏病和肺病患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状', en: 'Symptoms of people with heart or lung disease are markedly aggravated and exercise tolerance falls; healthy people commonly show symptoms' },
    advice: { zh: '儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动', en: 'Children, older people and people with heart or lung disease should stay indoors and stop outdoor exercise; everyone else should reduce outdoor exercise' },
  },
  6: {
    effect: { zh: '健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病', en: 'Exercise tolerance of healthy people falls, with marked, strong symptoms and the early onset of some diseases' },
    advice: { zh: '儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动', en: 'Children, older people and the sick should stay indoors and avoid physical exertion; everyone else should avoid outdoor activity' },
  },
});
