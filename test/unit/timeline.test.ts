import { describe, expect, it } from 'vitest';
import { describeInput, Timeline, timelineCapacity } from '../../main/timeline';

/** The bench's timeline: numbered, bounded, read after a seq by kind without gaps, no typed text. */
describe('the timeline', () => {
  it('finds the events of a kind asked for behind more than a page of others', () => {
    const timeline = new Timeline(() => new Date(0));
    for (let i = 0; i < 700; i++) timeline.add('input', `touch row${i}`);
    timeline.add('failure', 'esim: kind errorReason, reason 10');
    expect(timeline.since(0, ['failure']).map((e) => e.seq)).toEqual([701]);
    expect(timeline.since(0)).toHaveLength(500);
    expect(timeline.since(500).at(0)?.seq).toBe(501);
  });

  it('keeps the newest events only (at least the capacity, the oldest going a tenth at a time), their numbers going on', () => {
    const timeline = new Timeline();
    const extra = timelineCapacity / 10;
    for (let i = 0; i < timelineCapacity + extra; i++) timeline.add('state', `move ${i}`);
    expect(timeline.since(0).at(0)?.seq).toBe(1);
    timeline.add('state', 'one more');
    expect(timeline.since(0).at(0)?.seq).toBe(extra + 2);
    expect(timeline.last()).toBe(timelineCapacity + extra + 1);
  });

  it('says typed text by its length only', () => {
    expect(describeInput({ kind: 'type', text: 'bmw-id-demo' })).toBe('type 11 character(s)');
  });
});
