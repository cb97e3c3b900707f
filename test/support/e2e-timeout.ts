// End-to-end tests start real processes and wait on real retries: give them room, bounded.
jest.setTimeout(120_000);
