// Runs the store contract against a real MongoDB when MONGODB_URI is set (a replica set or a
// standalone server both work). Each test gets its own database, dropped afterwards.
import { describe, expect, it } from 'vitest';
import { runStoreContract } from './contract.js';
import { openStore } from './index.js';
import { MongoMeetingStore, openMongoStore } from './mongoStore.js';
import type { MeetingStore } from './types.js';

const uri = process.env.MONGODB_URI;

if (!uri) {
  console.log('set MONGODB_URI=mongodb://… to run the store contract against MongoDB');
  describe.skip('MeetingStore contract: mongodb (needs MONGODB_URI)', () => {
    it('runs the contract suite against a real server', () => {});
  });
} else {
  const run = `bedside_test_${Date.now().toString(36)}_${process.pid}`;
  let n = 0;
  const dispose = async (store: MeetingStore) => {
    const s = store as MongoMeetingStore;
    await s.connection.dropDatabase();
    await s.close();
  };

  runStoreContract('mongodb', () => openMongoStore({ uri, dbName: `${run}_${n++}` }), { dispose });

  describe('MongoMeetingStore', () => {
    it('is what openStore picks when a URI is configured', async () => {
      const store = await openStore({ mongodbUri: uri, dataDir: '/nonexistent' });
      try {
        expect(store).toBeInstanceOf(MongoMeetingStore);
        expect(await store.ping()).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('two instances on one database never move a status backwards', async () => {
      const dbName = `${run}_shared`;
      const a = await openMongoStore({ uri, dbName });
      const b = await openMongoStore({ uri, dbName });
      try {
        await a.createMeeting({
          appointmentId: 'shared',
          roomId: 'room-shared',
          doctorId: 'doc-1',
          patientId: 'pat-1',
          patientName: null,
          scheduledTime: '2030-01-01T10:00:00.000Z',
        });
        const created = await b.createMeeting({
          appointmentId: 'shared',
          roomId: 'room-shared',
          doctorId: 'doc-1',
          patientId: 'pat-1',
          patientName: null,
          scheduledTime: '2030-01-01T10:00:00.000Z',
        });
        expect(created.created).toBe(false);
        await Promise.all([
          a.markCompleted('room-shared', '2030-01-01T10:30:00.000Z'),
          b.markActive('room-shared', '2030-01-01T10:05:00.000Z'),
          b.markCompleted('room-shared', '2030-01-01T10:31:00.000Z'),
        ]);
        const [fromA, fromB] = await Promise.all([
          a.getMeeting('room-shared'),
          b.getMeeting('room-shared'),
        ]);
        expect(fromA).toEqual(fromB);
        expect(fromA?.status).toBe('completed');
      } finally {
        await a.connection.dropDatabase();
        await a.close();
        await b.close();
      }
    });
  });
}
