/**
 * The sign-in screen, drawn over the page (never instead of it: a session that ends mid-use
 * leaves the half-done work where it was), the first-login password change, and a small
 * "signed in as / sign out" chip. A wall with a bad token says so instead of asking for a name.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { changePassword, login, logout, onSession, sessionState, wallToken, type LoginError } from '../data/session.ts';
import { useT, useUi } from './ctx.tsx';

const ERR_KEY: Record<LoginError, 'loginFailed' | 'loginLocked' | 'loginLimited' | 'passwordWeak' | 'networkError'> = {
  failed: 'loginFailed', locked: 'loginLocked', limited: 'loginLimited', weak: 'passwordWeak', network: 'networkError',
};

function useSession() {
  const [s, set] = useState(sessionState());
  useEffect(() => onSession(() => set(sessionState())), []);
  return s;
}

export function LoginGate() {
  const s = useSession();
  const t = useT();
  const { lang, setLang } = useUi();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [next, setNext] = useState('');
  const [err, setErr] = useState<LoginError | null>(null);
  const [busy, setBusy] = useState(false);
  const wall = location.pathname.startsWith('/wall');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await login(name.trim(), password);
    setBusy(false);
    setErr(r);
    if (!r) setPassword('');
  };
  const submitChange = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await changePassword(password, next);
    setBusy(false);
    setErr(r);
    if (!r) { setPassword(''); setNext(''); }
  };

  const langBtn = <button type="button" className="login-lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{lang === 'zh' ? 'EN' : '中文'}</button>;

  if (s.kind === 'signed-in' && s.me.mustChangePassword) {
    return (
      <div className="login-veil" role="dialog" aria-modal="true" data-testid="password-change">
        <form className="login-box" onSubmit={submitChange}>
          <h2>{t('mustChangePassword')}</h2>
          <label>{t('password')}<input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} name="current" required /></label>
          <label>{t('newPassword')}<input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} name="next" minLength={10} required /></label>
          {err && <p className="login-err" role="alert">{t(ERR_KEY[err])}</p>}
          <button type="submit" disabled={busy}>{t('changePassword')}</button>
          {langBtn}
        </form>
      </div>
    );
  }
  if (s.kind === 'signed-in') {
    if (wall || s.me.kind !== 'user') return null;
    return (
      <div className="user-chip" data-testid="user-chip">
        {/* The login name is Latin by rule (records/users.ts): marked as a name, not words to translate. */}
        <span>{t('signedInAs', { n: '' })}<span translate="no">{s.me.name}</span></span>
        <button type="button" onClick={() => void logout()}>{t('signOut')}</button>
      </div>
    );
  }
  if (s.kind !== 'signed-out') return null;
  if (wall && wallToken()) {
    return <div className="login-veil" role="alert" data-testid="wall-revoked"><div className="login-box"><h2>{t('wallRevoked')}</h2></div></div>;
  }
  return (
    <div className="login-veil" role="dialog" aria-modal="true" data-testid="login">
      <form className="login-box" onSubmit={submit}>
        <h2>{t('appName')}</h2>
        {s.reason === 'expired' && <p className="login-note" data-testid="expired">{t('sessionExpired')}</p>}
        <label>{t('userName')}<input autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} name="name" required autoFocus /></label>
        <label>{t('password')}<input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} name="password" required /></label>
        {err && <p className="login-err" role="alert">{t(ERR_KEY[err])}</p>}
        <button type="submit" disabled={busy}>{t('signIn')}</button>
        {langBtn}
      </form>
    </div>
  );
}
