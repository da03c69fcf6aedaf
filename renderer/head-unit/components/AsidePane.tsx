import type { Aside, Notice } from '../../../shared/view';
import { Phrases } from './Phrases';

/**
 * The context pane at the right of the wide display: a notice on top, then the car at a glance.
 * Under a notice (a phone just connected) the glance is compact, each label beside its value, and
 * leaves out the phone the notice is about, so that all of it stays on the display.
 */
export function AsidePane({ aside, notice }: { aside: Aside; notice: Notice | null }) {
  const rows = notice ? aside.rows.filter((row) => row.id !== 'phone') : aside.rows;
  return (
    <aside className={`aside${notice ? ' with-notice' : ''}`} aria-label={aside.title}>
      {notice && <NoticeCard notice={notice} />}
      <h2 className="aside-title">{aside.title}</h2>
      <dl className="aside-rows">
        {rows.map((row) => (
          <div key={row.id} data-aside={row.id}>
            <dt>
              <Phrases text={row.label} />
            </dt>
            <dd>
              <Phrases text={row.value} />
            </dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}

/** A passing message that takes no input (a phone just connected, and its sync), read out politely. */
export function NoticeCard({ notice, floating = false }: { notice: Notice; floating?: boolean }) {
  return (
    <section className={`notice${floating ? ' floating' : ''}`} role="status" data-notice={notice.id}>
      <h2>
        <Phrases text={notice.title} />
      </h2>
      {notice.text && (
        <p>
          <Phrases text={notice.text} />
        </p>
      )}
    </section>
  );
}
