import type { EntryScreen, Screen } from '../../../shared/view';
import { missingCaseError } from '../../../shared/view';
import { domIdOf, ItemButton } from './ItemButton';
import { ItemList } from './ItemList';
import { Phrases } from './Phrases';
import { CallView } from './CallView';

interface Props {
  screen: Screen;
  /** the item with the cursor; null while a pop-up has it */
  focus: string | null;
  onTouch(id: string): void;
  /** text an input method composed (Japanese, Chinese, …), for the field that takes text */
  onType(text: string): void;
}

/** The main area: a list, the keyboard or PIN pad, or a progress screen. */
export function ScreenView({ screen, focus, onTouch, onType }: Props) {
  return (
    <main className={`screen ${screen.kind}`} data-screen-id={screen.id}>
      <h1 className="title">
        {screen.title}
        {screen.window && <Position screen={screen} focus={focus} />}
      </h1>
      {body()}
    </main>
  );

  function body() {
    switch (screen.kind) {
      case 'list':
        return screen.id === 'call' ? (
          <CallView items={screen.items} focus={focus} onTouch={onTouch} />
        ) : (
          <ItemList items={screen.items} focus={focus} onTouch={onTouch} />
        );
      case 'entry':
        return <Entry screen={screen} focus={focus} onTouch={onTouch} onType={onType} />;
      case 'qr':
        return (
          <div className="qr-login">
            {/* drawn by the core at 10 px a module with its quiet zone; scaled without smoothing */}
            <img className="qr-code" src={screen.qr} alt={screen.manual} data-qr />
            <div className="qr-text">
              <p>
                <Phrases text={screen.instructions} />
              </p>
              <p className="manual">
                <Unbroken text={screen.manual} />
              </p>
              <p className="time-left" role="timer">
                {screen.timeLeft}
              </p>
              <ItemList items={screen.items} focus={focus} onTouch={onTouch} />
            </div>
          </div>
        );
      case 'progress':
        return (
          <div className="progress" role="status">
            <div className={`bar ${screen.progress === null ? 'indeterminate' : ''}`}>
              {/* React sets style through the CSSOM, which the CSP allows (no inline style attribute) */}
              <i style={screen.progress === null ? undefined : { width: `${screen.progress * 100}%` }} />
            </div>
            <p>{screen.message}</p>
            {screen.items.length > 0 && <ItemList items={screen.items} focus={focus} onTouch={onTouch} />}
          </div>
        );
      default:
        throw missingCaseError(screen);
    }
  }
}

/** The address and the code to type, each kept on one line (a code broken at its hyphen reads as two). */
function Unbroken({ text }: { text: string }) {
  return (
    <>
      {text.split(/(https?:\/\/\S+|\b[A-Z]{4}-[A-Z]{4}\b)/).map((part, i) =>
        i % 2 === 1 ? (
          <span key={i} className="nowrap">
            {part}
          </span>
        ) : (
          <Phrases key={i} text={part} />
        ),
      )}
    </>
  );
}

/** Where the cursor is in a long list that reaches the display in part: "312 / 10000". */
function Position({ screen, focus }: { screen: Screen; focus: string | null }) {
  const at = screen.items.findIndex((item) => item.id === focus);
  if (!screen.window || at < 0) return null;
  return <span className="position" data-position>{`${screen.window.start + at + 1} / ${screen.window.total}`}</span>;
}

function Entry({ screen, focus, onTouch, onType }: Pick<Props, 'focus' | 'onTouch' | 'onType'> & { screen: EntryScreen }) {
  const byId = new Map(screen.items.map((item) => [item.id, item]));
  return (
    <div className={`entry ${screen.mode}`}>
      {screen.mode === 'text' && <ImeField focus={focus} label={screen.title} onType={onType} />}
      <output className={`field ${screen.shown ? '' : 'empty'}`} data-field>
        {screen.shown || screen.placeholder}
      </output>
      {screen.error && (
        <p className="error" role="alert">
          {screen.error}
        </p>
      )}
      {screen.note && (
        <p className="note" data-note>
          {screen.note}
        </p>
      )}
      {/* Each key at the place the core gave it: the tilt rule moves by the same places. */}
      <div className="keys" style={{ gridTemplateColumns: `repeat(${screen.keyboard.columns}, var(--half-key))` }}>
        {screen.keyboard.rows.flatMap((row, r) =>
          row.map((place) => {
            const item = byId.get(place.id);
            return (
              item && (
                <ItemButton
                  key={place.id}
                  item={item}
                  focused={place.id === focus}
                  onTouch={onTouch}
                  className="key"
                  style={{ gridRow: r + 1, gridColumn: `${place.column + 1} / span ${place.span}` }}
                />
              )
            );
          }),
        )}
      </div>
    </div>
  );
}

/**
 * Where an input method's text comes in on a text entry screen. An IME composes only into an
 * editable element, so on these screens this field holds the DOM focus, with the key under the
 * controller's cursor as its active descendant; keys typed on the bench keyboard still go to the
 * core as they are (keymap.ts), and what the IME commits goes to the core as typed text.
 */
function ImeField({ focus, label, onType }: { focus: string | null; label: string; onType(text: string): void }) {
  const take = (field: HTMLInputElement, text: string) => {
    field.value = '';
    if (text) onType(text);
  };
  return (
    <input
      className="ime"
      data-ime
      aria-label={label}
      aria-activedescendant={focus ? domIdOf(focus) : undefined}
      autoComplete="off"
      spellCheck={false}
      onCompositionEnd={(event) => take(event.currentTarget, event.data)}
      onInput={(event) => {
        // (text inserted without a composition: an on-screen or a virtual keyboard, a paste)
        if (!(event.nativeEvent as InputEvent).isComposing) take(event.currentTarget, event.currentTarget.value);
      }}
    />
  );
}
