import { memo, useEffect, useState, type CSSProperties } from 'react';
import type { Item } from '../../../shared/view';
import { Phrases } from './Phrases';
import { Icon } from './Icon';
import { SignalBars } from './SignalBars';

interface Props {
  item: Item;
  focused: boolean;
  onTouch(id: string): void;
  className?: string;
  /** a key's place on the keyboard grid */
  style?: CSSProperties;
}

/** An item's element id, for aria-activedescendant (the text field that takes an IME's text points at the key under the cursor). */
export function domIdOf(itemId: string): string {
  return `item-${itemId}`;
}

/**
 * One operable item. Roving tabindex: only the focused item is in the tab order, and the core's
 * focus is the DOM focus, so assistive tools and tests see the controller's cursor.
 */
function ItemButtonView({ item, focused, onTouch, className, style }: Props) {
  if (item.kind === 'info') {
    return (
      <p className={['row info', className ?? ''].join(' ').trim()} data-item-id={item.id}>
        <Phrases text={item.label} />
        {item.since !== undefined && <Elapsed since={item.since} />}
        {item.until !== undefined && <Remaining until={item.until} />}
      </p>
    );
  }
  const role = item.kind === 'check' ? 'checkbox' : item.kind === 'radio' ? 'radio' : undefined;
  return (
    <button
      type="button"
      className={['row', item.kind, item.tone ?? '', focused ? 'focused' : '', className ?? ''].join(' ').trim()}
      data-item-id={item.id}
      id={domIdOf(item.id)}
      style={style}
      tabIndex={focused ? 0 : -1}
      role={role}
      aria-checked={role ? Boolean(item.checked) : undefined}
      aria-disabled={item.disabled || undefined}
      onClick={() => !item.disabled && onTouch(item.id)}
    >
      {role && <span className={`mark ${item.checked ? 'on' : ''}`} aria-hidden />}
      {item.icon && <Icon name={item.icon} />}
      <span className="label">
        <Phrases text={item.label} />
      </span>
      {item.signal !== undefined ? (
        <span className="detail" role="img" aria-label={item.detail}>
          <SignalBars level={item.signal} />
        </span>
      ) : (
        item.detail !== undefined && (
          <span className="detail">
            <Phrases text={item.detail} />
          </span>
        )
      )}
      {item.opens && (
        <span className="chevron" aria-hidden>
          ›
        </span>
      )}
    </button>
  );
}

/** Every view arrives as new objects: compare what a row shows, so unchanged rows skip rendering. */
function sameRow(a: Props, b: Props): boolean {
  const x = a.item;
  const y = b.item;
  return (
    a.focused === b.focused &&
    a.onTouch === b.onTouch &&
    a.className === b.className &&
    x.id === y.id &&
    x.kind === y.kind &&
    x.label === y.label &&
    x.detail === y.detail &&
    x.tone === y.tone &&
    x.since === y.since &&
    x.until === y.until &&
    x.icon === y.icon &&
    x.signal === y.signal &&
    x.checked === y.checked &&
    x.disabled === y.disabled &&
    x.opens === y.opens
  );
}

export const ItemButton = memo(ItemButtonView, sameRow);

/** The display's clock, moving each second (for the times it counts itself). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Seconds as m:ss, then h:mm:ss. */
function clockText(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return seconds >= 3600
    ? `${Math.floor(seconds / 3600)}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`
    : `${Math.floor(seconds / 60)}:${two(seconds % 60)}`;
}

/** A running time since an instant (a call's length), counted here each second. */
function Elapsed({ since }: { since: number }) {
  const seconds = Math.max(0, Math.floor((useNow() - since) / 1000));
  return (
    <span className="elapsed" data-elapsed>
      {clockText(seconds)}
    </span>
  );
}

/** The time left until an instant (a phone's time to answer the pairing code), counted down here each second. */
function Remaining({ until }: { until: number }) {
  const seconds = Math.max(0, Math.ceil((until - useNow()) / 1000));
  return (
    <span className="elapsed" role="timer" data-remaining>
      {clockText(seconds)}
    </span>
  );
}
