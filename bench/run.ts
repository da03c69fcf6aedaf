// npm run bench: every benchmark suite in turn. Each prints its figures and writes bench/results/<suite>.json.
await import('./shell');
await import('./esim');
await import('./bluetooth');
await import('./fleet');
await import('./checkpoint');
await import('./timeline');
await import('./inputCpu');

export {};
