/** Signal strength as four bars, `level` of them lit: the status bar's network, a phone found nearby. */
export function SignalBars({ level }: { level: number }) {
  return (
    <span className="signal" aria-hidden>
      {[1, 2, 3, 4].map((bar) => (
        <i key={bar} className={bar <= level ? 'lit' : ''} />
      ))}
    </span>
  );
}
