/**
 * The admin token, kept for this tab only: `sessionStorage` (cleared when the tab closes, never
 * shared with other tabs) and never `localStorage`, a cookie or a URL.
 */
const KEY = 'weir.console.token';

export function loadToken(): string | null {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    window.sessionStorage.setItem(KEY, token);
  } catch {
    // Storage refused (private mode): the token stays in memory for this page only.
  }
}

export function forgetToken(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // Nothing kept.
  }
}
