// Durations and counts as the screens print them.

/** `0.3s`, `12.4s`, `3m 05.2s`: tenths of a second, so a ticking timer visibly moves. */
export function formatSeconds(ms: number): string {
  const tenths = Math.max(0, Math.floor(ms / 100));
  const seconds = tenths / 10;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = (seconds - minutes * 60).toFixed(1).padStart(4, '0');
  return `${minutes}m ${rest}s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
