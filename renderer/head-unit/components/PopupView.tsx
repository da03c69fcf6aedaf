import type { Popup } from '../../../shared/view';
import { ItemButton } from './ItemButton';

/** A modal pop-up over the screen; its first choice is the default and has the focus. */
export function PopupView({ popup, focus, onTouch }: { popup: Popup; focus: string | null; onTouch(id: string): void }) {
  return (
    <div className="popup-backdrop">
      <section className="popup" role="dialog" aria-modal="true" aria-labelledby="popup-title" data-popup-id={popup.id}>
        <h2 id="popup-title">{popup.title}</h2>
        {popup.text && <p className="popup-text">{popup.text}</p>}
        <div className="popup-actions">
          {popup.items.map((item) => (
            <ItemButton key={item.id} item={item} focused={item.id === focus} onTouch={onTouch} />
          ))}
        </div>
      </section>
    </div>
  );
}
