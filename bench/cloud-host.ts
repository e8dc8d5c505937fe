/**
 * Benchmark child process with the local cloud (HTTP API and broker) and the measuring
 * subscriber. With `--broker mosquitto` it also starts a Debian mosquitto and reads its CPU time.
 */
import { LocalCloud, type LocalBrokerChoice } from '../main/local-cloud/local-cloud.js';
import { MosquittoProcess } from '../test/support/mosquitto.js';
import type {
  BenchBroker,
  CloudHostMark,
  CloudHostProtocol,
  CloudHostStarted,
} from './host-protocols.js';
import { serveHost } from './host-rpc.js';
import { MeasuringSubscriber } from './measuring-subscriber.js';
import { ResourceMeter, readProcessCpuMicros } from './resource-meter.js';

const meter = new ResourceMeter();
let cloud: LocalCloud | undefined;
let mosquitto: MosquittoProcess | undefined;
let subscriber: MeasuringSubscriber | undefined;

async function start(broker: BenchBroker): Promise<CloudHostStarted> {
  if (cloud) throw new Error('The local cloud was already started');
  cloud = await LocalCloud.start({ host: '127.0.0.1', broker: await brokerChoice(broker) });
  const { httpUrl, mqttUrl, operatorToken, operatorMqtt } = cloud.endpoints;
  subscriber = await MeasuringSubscriber.connect(mqttUrl, operatorMqtt);
  const brokerPid = mosquitto?.pid;
  return { httpUrl, mqttUrl, operatorToken, ...(brokerPid === undefined ? {} : { brokerPid }) };
}

async function brokerChoice(broker: BenchBroker): Promise<LocalBrokerChoice> {
  switch (broker) {
    case 'embedded':
      return { kind: 'embedded' };
    case 'mosquitto': {
      mosquitto = await MosquittoProcess.start({ dynamicSecurity: true });
      const admin = mosquitto.admin;
      if (!admin) throw new Error('mosquitto started without its dynamic-security admin');
      return {
        kind: 'mosquitto-dynsec',
        url: mosquitto.url,
        adminUsername: admin.username,
        adminPassword: admin.password,
      };
    }
  }
}

async function mark(): Promise<CloudHostMark> {
  const resources = meter.mark();
  const pid = mosquitto?.pid;
  const brokerCpuMicros = pid === undefined ? undefined : await readProcessCpuMicros(pid);
  return {
    resources,
    ...(brokerCpuMicros === undefined ? {} : { brokerCpuMicros }),
    channels: subscriber?.takeTraffic() ?? {},
  };
}

async function stop(): Promise<null> {
  await subscriber?.close();
  subscriber = undefined;
  await cloud?.close();
  cloud = undefined;
  await mosquitto?.close();
  mosquitto = undefined;
  meter.dispose();
  return null;
}

serveHost<CloudHostProtocol>(
  {
    start: ({ broker }) => start(broker),
    'window-start': () => mark(),
    'window-end': () => mark(),
    receipts: () => subscriber?.probeReceipts() ?? [],
    clock: () => ({ now: performance.now() }),
    stop,
  },
  async () => {
    await stop();
  },
);
