import { useLayoutEffect, useRef, useState } from 'react';
import type { Item } from '../../../shared/view';
import { ItemButton } from './ItemButton';

/** Which way a list that does not fit has more rows: none, below, above, or both. */
type More = 'none' | 'below' | 'above' | 'both';

function moreOf(list: HTMLElement): More {
  const above = list.scrollTop > 1;
  const below = list.scrollTop + list.clientHeight < list.scrollHeight - 1;
  return above && below ? 'both' : above ? 'above' : below ? 'below' : 'none';
}

/**
 * The operable rows of a screen or pop-up, with the controller's cursor on `focus`. A list longer
 * than the display says so: the edge with more rows fades out and a thin bar shows where the
 * visible part is (`data-more`), as iDrive's lists do, rather than cutting the last row at the edge.
 */
export function ItemList({
  items,
  focus,
  onTouch,
  className = 'list',
}: {
  items: Item[];
  focus: string | null;
  onTouch(id: string): void;
  className?: string;
}) {
  const list = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState<More>('none');
  // (after every render: rows come and go, and the cursor scrolls the list)
  useLayoutEffect(() => {
    if (list.current) setMore(moreOf(list.current));
  });
  return (
    <div ref={list} className={className} role="list" data-more={more} onScroll={(e) => setMore(moreOf(e.currentTarget))}>
      {items.map((item) => (
        <ItemButton key={item.id} item={item} focused={item.id === focus} onTouch={onTouch} />
      ))}
    </div>
  );
}
