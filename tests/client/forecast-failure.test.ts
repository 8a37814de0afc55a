/** Why no guidance, in Chinese too (the service's reasons are English sentences from common/forecast). */
import { describe, expect, it } from 'vitest';
import { failureText } from '../../client/src/forecast/failure.ts';
import { trainGuidance } from '../../common/forecast/guidance.ts';

describe('failureText', () => {
  it('turns the two reasons a new install meets into Chinese, keeps their numbers', () => {
    expect(failureText('guidance: 0 training days; at least 30 are needed', 'zh')).toBe('可用于训练的历史仅 0 天，至少需要 30 天');
    expect(failureText('guidance: fewer than 12 hours of PM2.5 in the 24 h before the issue time 2026-12-02 16:00', 'zh'))
      .toBe('发布时刻 2026-12-02 16:00 之前24小时内 PM₂.₅ 数据不足 12 小时');
    expect(failureText('guidance: 0 training days; at least 30 are needed', 'en')).toBe('0 training days; at least 30 are needed');
    expect(failureText('something else', 'zh')).toBe('something else');
  });
  it('matches what the core really says (so a reworded message fails here, not on screen)', () => {
    let msg = '';
    try { trainGuidance({} as never, []); } catch (e) { msg = (e as Error).message; }
    expect(failureText(msg, 'zh')).toMatch(/^可用于训练的历史仅 \d+ 天，至少需要 30 天$/);
  });
});
