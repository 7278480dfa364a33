import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { FakeResponse } from '../../test/helpers/fake-response.js';
import { hubRetaining } from '../../test/helpers/hubs.js';
import { sampleReading } from '../../test/helpers/readings.js';
import type { streamConfig } from '../config/stream.config.js';
import { DEMO_PROJECTION } from '../hub/demo-projection.js';
import { GroupSelection } from '../hub/group-selection.js';
import type { SampleProjection } from '../hub/sample-projection.js';
import type { SampleHubService } from '../hub/sample-hub.service.js';
import { StreamChannel } from './stream-channel.js';
import { StreamSession } from './stream-session.js';

const HEARTBEAT_MS = 1000;
const READING = sampleReading();

describe('StreamChannel', () => {
  let hub: SampleHubService;
  let channel: StreamChannel;
  let responses: FakeResponse[];
  let closed: jest.Mock<() => void>;

  /** A session from the newest sample on, registered with the channel. */
  const open = (projection: SampleProjection = GroupSelection.ALL) => {
    const response = new FakeResponse();
    const session = new StreamSession(
      hub,
      response,
      {
        projection,
        everyN: 1,
        alerts: true,
        notices: true,
        after: hub.newestId - 1,
        prelude: [],
        maxLagBytes: 1 << 20,
      },
      channel.onDropped,
    );
    channel.register(session, response.asResponse(), closed);
    session.start();
    responses.push(response);
    return { response, session };
  };

  beforeEach(() => {
    jest.useFakeTimers();
    hub = hubRetaining(100);
    channel = new StreamChannel(hub, {
      heartbeatMs: HEARTBEAT_MS,
      clientBufferBytes: 1 << 20,
    } as ConfigType<typeof streamConfig>);
    responses = [];
    closed = jest.fn();
  });

  afterEach(() => {
    responses.forEach((response) => response.disconnect());
    channel.onModuleDestroy();
    jest.useRealTimers();
  });

  it('should hand each event the hub publishes to every session', () => {
    hub.publish(READING);
    const [a, b] = [open(), open(DEMO_PROJECTION)];

    const next = hub.publish(READING);

    expect(a.response.frames.at(-1)!.id).toBe(String(next.id));
    expect(b.response.frames.at(-1)!.id).toBe(String(next.id));
    expect(channel.stats.eventsSent).toBe(4);
  });

  it('should end a session that throws and still hand the event to the others', () => {
    hub.publish(READING);
    const [broken, healthy] = [open(), open()];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(broken.session, 'onPublish').mockImplementation(() => {
      throw new Error('boom');
    });

    const next = hub.publish(READING);

    expect(broken.response.destroyed).toBe(true);
    expect(healthy.response.frames.at(-1)!.id).toBe(String(next.id));
    expect(hub.subscriberErrors).toBe(1);
  });

  it('should send a ping comment when nothing else went out for the heartbeat interval', async () => {
    hub.publish(READING);
    const { response } = open();
    const comments = () => response.frames.map((frame) => frame.comment).filter(Boolean);

    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS - 300);
    hub.publish(READING); // resets the silence
    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS - 300);

    expect(comments()).toEqual([]);

    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS);

    expect(comments()).toEqual(['ping']);
  });

  it('should forget the session and stop the heartbeat timer when the client goes away', () => {
    hub.publish(READING);
    const first = open().response;
    const second = open(DEMO_PROJECTION).response;
    expect(channel.size).toBe(2);
    expect(jest.getTimerCount()).toBe(1); // one shared heartbeat timer

    first.disconnect();
    second.disconnect();

    expect(channel.size).toBe(0);
    expect(closed).toHaveBeenCalledTimes(2);
    expect(jest.getTimerCount()).toBe(0);
    const written = first.text;
    hub.publish(READING);
    expect(first.text).toBe(written);
    expect(channel.stats).toEqual({ opened: 2, dropped: 0, eventsSent: 2 });
  });

  it('should end every open stream when the application shuts down', () => {
    const { response } = open();

    hub.beforeApplicationShutdown();

    expect(response.ended).toBe(true);
    expect(channel.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});
