// A process that writes the profiles area as fast as it can and says after each write that it is
// committed. The crash test kills it with SIGKILL at random moments.
import { AreaFile } from '../../main/store/areaFile';
import { ProfilesFile } from '../../main/bmwId/profiles';

const dir = process.argv[2]!;
const area = new AreaFile(dir, 'profiles', 1, ProfilesFile);
const start = Number((await area.load(() => ({ active: '0', profiles: [] }))).value.active);
for (let n = start + 1; ; n++) {
  await area.save({
    active: String(n),
    // enough data that a write takes more than one syscall
    profiles: Array.from({ length: 6 }, (_, i) => ({
      id: `profile-${i}`,
      email: `driver${i}@example.com`,
      name: `Driver ${i} `.repeat(6).slice(0, 80),
      settings: { language: 'ja', theme: 'night' },
      hasPin: i % 2 === 0,
      loggedIn: true,
      addedAt: new Date(n).toISOString(),
    })),
  });
  process.stdout.write(`committed ${n}\n`);
}
