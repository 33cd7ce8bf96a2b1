// The one way across a bundle boundary. scripts/build.mjs finds every `loadIsland(() => import('./x.ts'))`
// in src/ and makes x.ts an island: its own bundle, loaded only when this call runs, importing the
// modules it shares with the hot bundle from there (one instance of each, so `instanceof` holds).
export function loadIsland<T>(load: () => Promise<T>): Promise<T> {
  return load();
}
