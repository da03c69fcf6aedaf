import type { Item } from '../../../shared/view';
import { ItemButton } from './ItemButton';

/** The caller's picture's letters: a Japanese name's first character (鈴木 一郎 → 鈴), two initials (Jürgen Müller → JM), or a number's last two digits. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '';
  if (/^[+\d()\- ]+$/.test(name)) return name.replace(/\D/g, '').slice(-2);
  if (/[\u3040-\u30ff\u3400-\u9fff]/.test(words[0]!)) return [...words[0]!][0]!;
  return words
    .slice(0, 2)
    .map((w) => [...w][0]!.toUpperCase())
    .join('');
}

/**
 * The call screen as iDrive draws it: the other party large under a round picture with their
 * initials, the call's state and its running time, the line it is on, and the actions as round
 * buttons side by side (the same items, ids and cursor as any list).
 */
export function CallView({ items, focus, onTouch }: { items: Item[]; focus: string | null; onTouch(id: string): void }) {
  const row = (id: string) => items.find((item) => item.id === id);
  const party = row('party');
  const actions = items.filter((item) => item.kind !== 'info');
  const info = items.filter((item) => item.kind === 'info' && item.id !== 'party');
  return (
    <div className="call-view">
      {party && (
        <>
          <div className="call-avatar" aria-hidden>
            {initialsOf(party.label)}
          </div>
          <ItemButton item={party} focused={false} onTouch={onTouch} className="call-party" />
        </>
      )}
      {info.map((item) => (
        <ItemButton key={item.id} item={item} focused={false} onTouch={onTouch} className={`call-${item.id}`} />
      ))}
      <div className="call-actions" role="list">
        {actions.map((item) => (
          <ItemButton key={item.id} item={item} focused={item.id === focus} onTouch={onTouch} className="round" />
        ))}
      </div>
    </div>
  );
}
