import type { Item } from '../../../shared/view';

interface Props {
  item: Item;
  focused: boolean;
  onTouch(id: string): void;
  className?: string;
}

/**
 * One operable item. Roving tabindex: only the focused item is in the tab order, and the core's
 * focus is the DOM focus, so assistive tools and tests see the controller's cursor.
 */
export function ItemButton({ item, focused, onTouch, className }: Props) {
  if (item.kind === 'info') {
    return (
      <p className="row info" data-item-id={item.id}>
        {item.label}
      </p>
    );
  }
  const role = item.kind === 'check' ? 'checkbox' : item.kind === 'radio' ? 'radio' : undefined;
  return (
    <button
      type="button"
      className={['row', item.kind, focused ? 'focused' : '', className ?? ''].join(' ').trim()}
      data-item-id={item.id}
      tabIndex={focused ? 0 : -1}
      role={role}
      aria-checked={role ? Boolean(item.checked) : undefined}
      aria-disabled={item.disabled || undefined}
      onClick={() => !item.disabled && onTouch(item.id)}
    >
      {role && <span className={`mark ${item.checked ? 'on' : ''}`} aria-hidden />}
      <span className="label">{item.label}</span>
      {item.detail !== undefined && <span className="detail">{item.detail}</span>}
      {item.opens && <span className="chevron" aria-hidden>›</span>}
    </button>
  );
}
