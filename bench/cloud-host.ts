/**
 * Benchmark child process with the local cloud (HTTP API and broker), the measuring subscriber
 * and the command probe, which sends pause and resume commands on an MQTT connection of its own.
 * With `--broker mosquitto` it also starts a Debian mosquitto and reads its CPU time.
 */
import mqtt, { type MqttClient } from 'mqtt';

import { systemClock } from '../main/support/clock.js';
import { LocalCloud, type LocalBrokerChoice } from '../main/local-cloud/local-cloud.js';
import { MosquittoProcess } from '../test/support/mosquitto.js';
import { CommandProbe } from './command-probe.js';
import type {
  BenchBroker,
  CloudHostMark,
  CloudHostProtocol,
  CloudHostStarted,
  ProbeCounts,
  ProbeStart,
} from './host-protocols.js';
import { serveHost } from './host-rpc.js';
import { MeasuringSubscriber } from './measuring-subscriber.js';
import { ResourceMeter, readProcessCpuMicros } from './resource-meter.js';

const meter = new ResourceMeter();
let cloud: LocalCloud | undefined;
let mosquitto: MosquittoProcess | undefined;
let subscriber: MeasuringSubscriber | undefined;
let commandClient: MqttClient | undefined;
let probe: CommandProbe | undefined;

async function start(broker: BenchBroker): Promise<CloudHostStarted> {
  if (cloud) throw new Error('The local cloud was already started');
  cloud = await LocalCloud.start({ host: '127.0.0.1', broker: await brokerChoice(broker) });
  const { httpUrl, mqttUrl, operatorToken, operatorMqtt } = cloud.endpoints;
  subscriber = await MeasuringSubscriber.connect(mqttUrl, operatorMqtt);
  commandClient = await mqtt.connectAsync(mqttUrl, {
    protocolVersion: 5,
    clientId: `owl-bench-commands-${process.pid}`,
    username: operatorMqtt.username,
    password: operatorMqtt.password,
    reconnectPeriod: 1_000,
  });
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

function startProbe(request: ProbeStart): null {
  const client = commandClient;
  const measuring = subscriber;
  if (!client || !measuring) throw new Error('The local cloud has not been started');
  if (probe) throw new Error('The command probe was already started');
  probe = new CommandProbe({
    ...request,
    publish: async (topic, payload) => {
      await client.publishAsync(topic, payload, { qos: 1 });
    },
    lastEvent: (deviceId) => measuring.lastProbeEvent(deviceId),
    clock: systemClock,
  });
  probe.start();
  return null;
}

function stopProbe(): ProbeCounts {
  return probe?.stop() ?? { sent: 0, failed: 0 };
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
  stopProbe();
  await commandClient?.endAsync();
  commandClient = undefined;
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
    'probe-start': startProbe,
    'probe-stop': stopProbe,
    'window-start': () => mark(),
    'window-end': () => mark(),
    receipts: () => subscriber?.probeReceipts() ?? [],
    commands: () => [...(probe?.commands() ?? [])],
    clock: () => ({ now: performance.now() }),
    stop,
  },
  async () => {
    await stop();
  },
);
