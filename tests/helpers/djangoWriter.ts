// Profile values as a real Django writer publishes them, written from the writer's side and not from what
// rollcall's validator accepts: a model serialised as it is holds "" for a blank CharField and null for a
// nullable one, avatars are whatever the storage backend names, and nothing is trimmed, lower-cased or
// de-duplicated. Values that break events.md are produced only by the caller, marked as poison.

type Random = () => number;

/** Given names and family names in several scripts, one astral-plane character (150 code points fit a name). */
const GIVEN = ['Ada', 'Grace', 'Ken', 'José', 'Zoë', 'Анна', 'Σοφία', '王芳', 'فاطمة', 'प्रिया', 'Nguyễn Thị', 'O\'Brien', 'Ana María'];
const FAMILY = ['Hopper', 'Ritchie', 'Lovelace', 'Иванова', 'Παπαδοπούλου', '李', 'الحسن', 'शर्मा', 'van der Berg', 'Smith-Jones'];
const DOMAINS = ['example.com', 'Example.COM', 'mail.example.org', 'EXAMPLE.net'];

export class DjangoWriter {
  private readonly usernames: string[] = [];
  private readonly emails: string[] = [];

  constructor(private readonly r: Random) {}

  private chance = (p: number) => this.r() < p;
  private pick = <T>(xs: readonly T[]): T => xs[Math.floor(this.r() * xs.length)] as T;

  /** A username: usually its own, sometimes another user's (the read model enforces no uniqueness). */
  username(uid: number): string {
    const own = this.chance(0.85) ? `user${uid}` : this.chance(0.5) ? `User.${uid}+x` : `${this.pick(GIVEN)}${uid}`;
    const name = this.usernames.length > 0 && this.chance(0.05) ? this.pick(this.usernames) : this.chance(0.01) ? longName(uid) : own;
    this.usernames.push(name);
    return name;
  }

  /** What a CharField(blank=True) holds: "" or a value; null where the field is nullable. */
  private blankOr(value: () => string): string | null {
    const k = this.r();
    return k < 0.15 ? '' : k < 0.3 ? null : value();
  }

  email(uid: number): string | null {
    return this.blankOr(() => {
      if (this.emails.length > 0 && this.chance(0.05)) return this.pick(this.emails); // shared by two users
      const local = this.pick([`u${uid}`, `Ada.Lovelace${uid}`, `u${uid}+news`, `U${uid}+Tag.Two`]);
      const address = this.chance(0.01) ? `${'x'.repeat(250)}${uid}@${this.pick(DOMAINS)}` : `${local}@${this.pick(DOMAINS)}`;
      this.emails.push(address);
      return address;
    });
  }

  mobile(uid: number): string | null {
    return this.blankOr(() => this.pick([`+1${uid}`, `+44 20 7946 ${uid}`, `(555) 010-${uid}`, `0${uid}`]));
  }

  firstName(): string | null {
    return this.blankOr(() => (this.chance(0.02) ? '🙂'.repeat(150) : this.pick(GIVEN)));
  }

  lastName(): string | null {
    return this.blankOr(() => (this.chance(0.02) ? 'L'.repeat(400) : this.pick(FAMILY)));
  }

  /** Django's choices field, nullable: a value or null (a blank "" would break events.md: see poison). */
  gender(): string | null {
    return this.chance(0.35) ? null : this.pick(['male', 'female', 'other']);
  }

  /** An ImageField as the storage backend names it: a URL, a relative storage path, or blank. */
  avatar(uid: number): string | null {
    return this.blankOr(() =>
      this.pick([
        `https://cdn.example.com/${uid}.png`,
        `avatars/2025/06/${uid}.jpg`,
        `/media/avatars/${uid}.webp`,
        `https://cdn.example.com/${'a'.repeat(300)}/${uid}.png`,
        `s3://bucket/avatars/${uid}`,
      ]),
    );
  }

  inviteCode(uid: number): string | null {
    return this.blankOr(() => (this.chance(0.05) ? `INV-${'9'.repeat(100)}-${uid}` : `inv${uid}`));
  }

  /**
   * A registration's profile: the writer serialises the whole model (every key, blanks and nulls as held)
   * about half the time, otherwise only the fields it set.
   */
  registrationProfile(uid: number): Record<string, unknown> {
    const all: Record<string, unknown> = {
      email: this.email(uid), mobile_number: this.mobile(uid), first_name: this.firstName(), last_name: this.lastName(),
      gender: this.gender(), avatar: this.avatar(uid), invite_code: this.inviteCode(uid),
    };
    if (this.chance(0.5)) return all;
    return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null && this.chance(0.7)));
  }

  /** A profile update: a few fields, each to a value, a blank or null (null clears). */
  profileUpdate(uid: number): Record<string, unknown> {
    const d: Record<string, unknown> = {};
    if (this.chance(0.3)) d.email = this.email(uid);
    if (this.chance(0.3)) d.first_name = this.firstName();
    if (this.chance(0.3)) d.last_name = this.lastName();
    if (this.chance(0.2)) d.mobile_number = this.mobile(uid);
    if (this.chance(0.2)) d.gender = this.gender();
    if (this.chance(0.15)) d.avatar = this.avatar(uid);
    if (this.chance(0.1)) d.username = this.username(uid);
    return d;
  }

  groupName(gid: number): string {
    return this.pick([`group ${gid}`, `Équipe ${gid}`, `Команда ${gid}`, `チーム${gid}`, 'Support', `${'g'.repeat(140)}${gid}`.slice(0, 150)]);
  }
}

/** 150 code points, 300 UTF-16 units: the longest username events.md allows, outside the BMP. */
function longName(uid: number): string {
  const tail = String(uid);
  return `${'𝒜'.repeat(150 - tail.length)}${tail}`;
}
