/**
 * The store's people: the team (handles unique in any case, addresses unique), who made each
 * commit, role owners resolved through the account's team when the agenda is read, and the
 * handover, in the same transaction as the step it completes.
 */
import { describe, expect, it } from 'vitest';
import type { Playbook } from '../../src/playbook/types.js';
import type { AgendaEntry } from '../../src/store/store.js';
import { freshStores } from '../agenda/helpers.js';
import { inputRejection } from '../support/errors.js';

const fresh = freshStores();

/** Two steps the COS does, the second handing the account to the CSM, then one of the CSM's. */
const ROLES_PLAYBOOK: Playbook = {
  id: 'roles',
  title: 'Roles',
  kind: 'onboarding',
  version: 1,
  phases: [
    {
      id: 'p',
      title: 'P',
      due: '7d',
      steps: [
        { id: 'kickoff', title: 'Kickoff', owner: 'cos', checklist: ['Booked'], fields: [{ id: 'goals', prompt: 'Goals', type: 'text' }] },
        { id: 'handover', title: 'Handover', owner: 'cos', handover: 'csm' },
        { id: 'review', title: 'Review', owner: 'csm' },
        { id: 'own', title: 'Own step' },
      ],
    },
  ],
};

const owners = async (entries: Promise<Iterable<AgendaEntry>> | Iterable<AgendaEntry>) => [...(await entries)].map((entry) => [entry.stepId, entry.owner]);

describe('store: the team', () => {
  it('adds, lists and changes people; a handle in another case or a used address is refused', async () => {
    const { store } = fresh();
    expect(await store.listPeople()).toEqual([]);
    const lan = await store.addPerson({ handle: 'lan', name: 'Nguyễn Thị Lan', email: 'lan@anhduong.vn', role: 'cos' });
    expect(lan).toMatchObject({ handle: 'lan', name: 'Nguyễn Thị Lan', email: 'lan@anhduong.vn', role: 'cos' });
    await store.addPerson({ handle: 'minh', name: 'Trần Văn Minh' });
    expect((await inputRejection(() => store.addPerson({ handle: 'Lan', name: 'Other' }))).message).toContain('the handle lan is someone');
    expect((await inputRejection(() => store.addPerson({ handle: 'lan2', name: 'Other', email: 'LAN@anhduong.vn' }))).message).toContain('is the address of lan already');
    expect((await inputRejection(() => store.updatePerson('minh', { email: 'lan@anhduong.vn' }))).message).toContain('is the address of lan already');
    const changed = await store.updatePerson('LAN', { role: null, email: null, name: 'Nguyễn Thị Lan Anh' });
    expect(changed).toMatchObject({ handle: 'lan', name: 'Nguyễn Thị Lan Anh', email: null, role: null });
    expect((await store.listPeople()).map((member) => member.handle)).toEqual(['lan', 'minh']);
    expect((await inputRejection(() => store.updatePerson('hoa', { role: 'csm' }))).message).toContain('nobody on the team is "hoa"');
  });
});

describe('store: who did what, roles and the handover', () => {
  it('records the actor of every commit; a role step is the account person of that role, else the run owner', async () => {
    const { store } = fresh();
    store.setActor('lan', '2026-11-26');
    const account = await store.ensureAccount('Công ty Ánh Dương');
    const { run } = await store.createRun(account, ROLES_PLAYBOOK, { startDate: '2026-11-26', owner: 'lan' });
    // no team on the account yet: every step is the run owner's
    expect(await owners(store.agenda({ until: '2026-12-31' }))).toEqual([['kickoff', 'lan'], ['handover', 'lan'], ['review', 'lan'], ['own', 'lan']]);
    await store.setAccountField(account.id, 'cos', 'hoa');
    await store.setAccountField(account.id, 'csm', 'minh');
    expect(await owners(store.agenda({ until: '2026-12-31' }))).toEqual([['kickoff', 'hoa'], ['handover', 'hoa'], ['review', 'minh'], ['own', 'lan']]);
    expect(await owners(store.agenda({ until: '2026-12-31', owner: ['minh'] }))).toEqual([['review', 'minh']]);

    await store.commit(run.id, { type: 'tick', stepId: 'kickoff', item: 0, checked: true });
    store.setActor('hoa', '2026-11-27');
    await store.commit(run.id, { type: 'answer', stepId: 'kickoff', fieldId: 'goals', value: 'Go live' });
    await store.commit(run.id, { type: 'complete', stepId: 'kickoff' });
    const history = await store.history(run.id);
    expect(history.map(({ by, event, stepId, detail }) => [by, event, stepId, detail])).toEqual([
      ['lan', 'start', null, null],
      ['lan', 'tick', 'kickoff', '1'],
      ['hoa', 'answer', 'kickoff', 'goals'],
      ['hoa', 'complete', 'kickoff', null],
    ]);
    expect(history.map((record) => record.at.slice(0, 10))).toEqual(['2026-11-26', '2026-11-26', '2026-11-27', '2026-11-27']);
  });

  it("doing a handover step gives the account and its other open runs to the account's CSM, in the same commit; the run handing over stays its walker's", async () => {
    const { store } = fresh();
    store.setActor('hoa');
    const account = await store.ensureAccount('Beta Telecom', 'hoa');
    const { run } = await store.createRun(account, ROLES_PLAYBOOK, { startDate: '2026-11-26', owner: 'hoa' });
    const other = await store.createRun(account, { ...ROLES_PLAYBOOK, id: 'other' }, { startDate: '2026-11-26', owner: 'hoa' });
    const someoneElses = await store.createRun(account, { ...ROLES_PLAYBOOK, id: 'third' }, { startDate: '2026-11-26', owner: 'sales-an' });
    // no CSM: done, but nothing changes hands
    const none = await store.commit(run.id, { type: 'complete', stepId: 'handover' });
    expect(none.handover).toEqual({ role: 'csm', to: null });
    expect((await store.findAccount('Beta Telecom'))!.owner).toBe('hoa');

    const second = await store.createRun(account, ROLES_PLAYBOOK, { startDate: '2026-11-26', owner: 'hoa' });
    await store.setAccountField(account.id, 'csm', 'minh');
    const done = await store.commit(second.run.id, { type: 'complete', stepId: 'handover' });
    expect(done.handover).toEqual({ role: 'csm', to: 'minh' });
    expect(done.loaded.run.owner).toBe('hoa');
    expect((await store.findAccount('Beta Telecom'))!.owner).toBe('minh');
    const runOwners = new Map((await store.listRuns()).map((each) => [each.id, each.owner]));
    expect(runOwners.get(other.run.id)).toBe('minh');
    expect(runOwners.get(someoneElses.run.id)).toBe('sales-an'); // not the previous owner's: kept
    expect((await store.history(second.run.id)).at(-1)).toMatchObject({ by: 'hoa', event: 'handover', stepId: 'handover', detail: 'minh' });
  });
});
