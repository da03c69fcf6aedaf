import type { Popup } from '../../../shared/view';
import { ItemList } from './ItemList';
import { Phrases } from './Phrases';
import { initialsOf } from './CallView';

/** A modal pop-up over the screen; its first choice is the default and has the focus. */
export function PopupView({ popup, focus, onTouch }: { popup: Popup; focus: string | null; onTouch(id: string): void }) {
  return (
    <div className="popup-backdrop">
      <section className="popup" role="dialog" aria-modal="true" aria-labelledby="popup-title" data-popup-id={popup.id}>
        <h2 id="popup-title">{popup.title}</h2>
        {/* (a call rings: the caller's picture above their name, as on the call screen) */}
        {popup.id === 'call.incoming' && (
          <div className="call-avatar" aria-hidden>
            {initialsOf(popup.text.split('\n')[0] ?? '')}
          </div>
        )}
        {popup.highlight && (
          <p className="popup-highlight" data-highlight>
            {popup.highlight}
          </p>
        )}
        {popup.text && (
          <p className="popup-text">
            <Phrases text={popup.text} />
          </p>
        )}
        <ItemList className="popup-actions" items={popup.items} focus={focus} onTouch={onTouch} />
      </section>
    </div>
  );
}
