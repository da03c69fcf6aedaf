import type { Item } from '../../../shared/view';
import { ItemButton } from './ItemButton';

/** The operable rows of a screen or pop-up, with the controller's cursor on `focus`. */
export function ItemList({ items, focus, onTouch, className = 'list' }: { items: Item[]; focus: string | null; onTouch(id: string): void; className?: string }) {
  return (
    <div className={className} role="list">
      {items.map((item) => (
        <ItemButton key={item.id} item={item} focused={item.id === focus} onTouch={onTouch} />
      ))}
    </div>
  );
}
