/// <reference lib="dom" />
import { isKiosk, keepAwake } from '../../public/js/kiosk.js';

/** A lock as the browser hands it out: released by release(), or by the browser. */
class FakeSentinel extends EventTarget {
  released = false;
  readonly type = 'screen';

  release(): Promise<void> {
    this.released = true;
    this.dispatchEvent(new Event('release'));
    return Promise.resolve();
  }
}

/** navigator.wakeLock: grants (or refuses) each request, and remembers them. */
class FakeWakeLock {
  readonly granted: FakeSentinel[] = [];
  refuse = false;

  request(type: string): Promise<FakeSentinel> {
    if (this.refuse) {
      return Promise.reject(new DOMException(`${type} lock refused`, 'NotAllowedError'));
    }
    const sentinel = new FakeSentinel();
    this.granted.push(sentinel);
    return Promise.resolve(sentinel);
  }
}

/** A document whose visibility a test sets, as switching tabs would. */
class FakeDocument extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible';

  show(state: DocumentVisibilityState): void {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

const awake = (wakeLock: FakeWakeLock | undefined, document: FakeDocument) =>
  keepAwake({
    wakeLock: wakeLock as unknown as WakeLock | undefined,
    document,
  });

describe('the kiosk view', () => {
  describe('whether the URL asks for it', () => {
    it.each(['?kiosk', '?kiosk=', '?kiosk=1', '?range=24h&kiosk', '?kiosk=yes'])(
      'should be on when the query is %s',
      (search) => {
        expect(isKiosk(search)).toBe(true);
      },
    );

    it.each(['', '?', '?range=24h', '?kiosk=0', '?kiosk=false', '?kiosk=OFF', '?kiosks'])(
      'should be off when the query is "%s"',
      (search) => {
        expect(isKiosk(search)).toBe(false);
      },
    );
  });

  describe('keeping the screen awake', () => {
    it('should ask for a screen lock once when the page is visible', async () => {
      const wakeLock = new FakeWakeLock();
      const document = new FakeDocument();

      awake(wakeLock, document);
      await settled();
      document.show('visible'); // held: no second request
      await settled();

      expect(wakeLock.granted).toHaveLength(1);
    });

    it('should ask again when the page is visible again after the browser released the lock', async () => {
      const wakeLock = new FakeWakeLock();
      const document = new FakeDocument();
      awake(wakeLock, document);
      await settled();

      await wakeLock.granted[0]!.release(); // the browser does this when the page is hidden
      document.show('hidden');
      await settled();
      const whileHidden = wakeLock.granted.length;
      document.show('visible');
      await settled();

      expect(whileHidden).toBe(1);
      expect(wakeLock.granted).toHaveLength(2);
      expect(wakeLock.granted[1]!.released).toBe(false);
    });

    it('should wait until the page is visible when it starts hidden', async () => {
      const wakeLock = new FakeWakeLock();
      const document = new FakeDocument();
      document.visibilityState = 'hidden';

      awake(wakeLock, document);
      await settled();
      const before = wakeLock.granted.length;
      document.show('visible');
      await settled();

      expect(before).toBe(0);
      expect(wakeLock.granted).toHaveLength(1);
    });

    it('should try again on the next visibility change when the browser refused', async () => {
      const wakeLock = new FakeWakeLock();
      const document = new FakeDocument();
      wakeLock.refuse = true;

      const acquire = awake(wakeLock, document);
      await expect(acquire()).resolves.toBeUndefined(); // refused: no error goes out
      wakeLock.refuse = false;
      document.show('visible');
      await settled();

      expect(wakeLock.granted).toHaveLength(1);
    });

    it('should do nothing when the browser has no wake lock', async () => {
      const document = new FakeDocument();

      const acquire = awake(undefined, document);

      await expect(acquire()).resolves.toBeUndefined();
    });
  });
});
