import { KeyedSlots } from './keyed-slots';

describe('KeyedSlots', () => {
  it('gives each key its own slots, and a released slot back once', () => {
    const slots = new KeyedSlots();
    const first = slots.tryTake('acme', 2);
    expect(first).not.toBeNull();
    expect(slots.tryTake('acme', 2)).not.toBeNull();
    expect(slots.tryTake('acme', 2)).toBeNull();
    expect(slots.tryTake('globex', 2)).not.toBeNull();
    first!();
    first!();
    expect(slots.tryTake('acme', 2)).not.toBeNull();
    expect(slots.tryTake('acme', 2)).toBeNull();
  });
});
