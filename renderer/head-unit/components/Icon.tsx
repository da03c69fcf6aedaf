import type { Icon as IconName } from '../../../shared/view';

/** Line drawings on a 24-unit grid, stroked in the text's colour (so focus and themes apply). */
const paths: Record<IconName, string> = {
  // a person: head and shoulders
  bmwId: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 3.6-7 8-7s8 3 8 7',
  // a phone beside a SIM card
  mobileDevices: 'M5 3h8a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM8 18h2M16 9h3l2 2v7a1 1 0 0 1-1 1h-4',
  // a handset
  telephone: 'M6.6 3.5 9 3l1.6 4.2-2.1 1.5a11 11 0 0 0 6.8 6.8l1.5-2.1L21 15l-.5 2.4A3 3 0 0 1 17.6 20 14.6 14.6 0 0 1 4 6.4a3 3 0 0 1 2.6-2.9z',
  // an address book
  contacts:
    'M6 3h12a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM3 8h3M3 16h3M12 11a2.2 2.2 0 1 0 0-4.4 2.2 2.2 0 0 0 0 4.4zM8.5 16.5c.5-2 1.9-3 3.5-3s3 1 3.5 3',
  // a gear
  settings: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3M12 19v3M4.9 4.9 7 7M17 17l2.1 2.1M2 12h3M19 12h3M4.9 19.1 7 17M17 7l2.1-2.1',
};

/** A main-menu symbol, drawn beside its label (decorative: the label says what it is). */
export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden data-icon={name}>
      <path d={paths[name]} />
    </svg>
  );
}
