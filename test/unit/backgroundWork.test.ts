import { describe, expect, it } from 'vitest';
import { parseContacts } from '../../main/phonebook/vcard';
import { sortContactsSliced } from '../../main/phonebook/order';
import { prepareContacts } from '../../main/screens/phone';
import { nextTurn } from '../../main/slices';
import { addressBook } from '../support/addressBook';

/**
 * A stopped car's background work: the lists of a large address book, worked out in slices, end
 * at their next turn once the car's lifetime is aborted, and nothing half-made is kept, so a car
 * started again (a checkpoint restored) does not share its loop with the old one's work.
 */
describe('background work of a stopped car', () => {
  it('ends at its next turn, with the reason the car gave, keeping nothing half-made', async () => {
    const contacts = parseContacts(addressBook(20_000));
    const lifetime = new AbortController();
    const work = prepareContacts(contacts, undefined, lifetime.signal);
    await nextTurn();
    lifetime.abort(new Error('the car stopped'));
    await expect(work).rejects.toThrow('the car stopped');
    // (nothing was remembered: the order is worked out whole when asked again)
    const order = await sortContactsSliced(contacts, 'en');
    expect(order).toHaveLength(20_000);
    expect(new Set(order).size).toBe(20_000);
  });

  it('stops at its first turn when the car has already stopped', async () => {
    const contacts = parseContacts(addressBook(5_000));
    await expect(sortContactsSliced(contacts, 'ja', 0, AbortSignal.abort(new Error('stopped')))).rejects.toThrow('stopped');
  });
});
